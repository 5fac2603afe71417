; Units of Rust files, for agate's syntax layer (docs/queries.md has the full contract).
;
; @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and @unit.guard mark the
; node of a unit; @name (in the same pattern) its name, several @name captures joined with ".";
; @scope an explicit enclosing scope (a Go receiver); @extend nodes that belong to the unit
; (decorators, attributes, a macro's block); @namespace a namespace or module whose @name
; prefixes the qualified names of the units inside it; captures starting with "_" only feed
; predicates, which agate evaluates (#eq?, #match?, #any-of? and their not-/any- forms). A node
; captured by several patterns is one unit: test wins over method, method over function,
; function over type. Functions directly inside a type become methods.

; ---- modules: their names join the qualified names of the units inside ------------------------
(mod_item name: (identifier) @name body: (declaration_list)) @namespace

; ---- functions (methods inside impl and trait blocks), types ------------------------------------
(function_item name: (identifier) @name) @unit.function
(struct_item name: (type_identifier) @name) @unit.type
(enum_item name: (type_identifier) @name) @unit.type
(union_item name: (type_identifier) @name) @unit.type
(trait_item name: (type_identifier) @name) @unit.type
(type_item name: (type_identifier) @name) @unit.type
(impl_item
  type: [
    (type_identifier) @name
    (generic_type type: (type_identifier) @name)
    (scoped_type_identifier name: (type_identifier) @name)
    (generic_type type: (scoped_type_identifier name: (type_identifier) @name))
  ]) @unit.type

; ---- tests: functions with a #[test]-like attribute -----------------------------------------------
; In tree-sitter-rust attributes are the preceding siblings of the function: a run of attributes
; holding a test attribute, then the function. The attributes join the unit's line range.
((attribute_item)* @extend
 .
 (attribute_item (attribute [(identifier) (scoped_identifier)] @_attr)) @extend
 .
 (attribute_item)* @extend
 .
 (function_item name: (identifier) @name) @unit.test
 (#any-of? @_attr "test" "tokio::test" "async_std::test" "actix_rt::test" "actix_web::test"
  "rstest" "test_case" "quickcheck" "wasm_bindgen_test" "sqlx::test" "test_log::test"))

; ---- imports: the name is the use path ------------------------------------------------------------
(use_declaration argument: (_) @name) @unit.import
(extern_crate_declaration name: (identifier) @name) @unit.import

; ---- guards: return Err(..), panics and assertions, early error returns -------------------------
((return_expression (call_expression function: (identifier) @_err)) @unit.guard
 (#eq? @_err "Err"))
((macro_invocation macro: (identifier) @_macro) @unit.guard
 (#any-of? @_macro "panic" "assert" "assert_eq" "assert_ne" "debug_assert" "debug_assert_eq"
  "debug_assert_ne" "bail" "ensure"))
((if_expression
   consequence: (block [
     (expression_statement (return_expression (call_expression function: (identifier) @_err)))
     (return_expression (call_expression function: (identifier) @_err))
   ])) @unit.guard
 (#eq? @_err "Err"))
((if_expression
   consequence: (block [
     (expression_statement (macro_invocation macro: (identifier) @_macro))
     (macro_invocation macro: (identifier) @_macro)
   ])) @unit.guard
 (#any-of? @_macro "panic" "bail"))
