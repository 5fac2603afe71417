; Units of C files, for agate's syntax layer (docs/queries.md has the full contract).
;
; @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and @unit.guard mark the
; node of a unit; @name (in the same pattern) its name, several @name captures joined with ".";
; @scope an explicit enclosing scope (a Go receiver); @extend nodes that belong to the unit
; (decorators, attributes, a macro's block); @namespace a namespace or module whose @name
; prefixes the qualified names of the units inside it; captures starting with "_" only feed
; predicates, which agate evaluates (#eq?, #match?, #any-of? and their not-/any- forms). A node
; captured by several patterns is one unit: test wins over method, method over function,
; function over type. Functions directly inside a type become methods.

; Patterns with the same root are merged with alternations: compiling a query costs time per
; pattern, and a git hook compiles the queries of the languages it meets.

; ---- functions and types ----------------------------------------------------------------------------
(function_definition
  declarator: [
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (pointer_declarator
      declarator: (pointer_declarator
        declarator: (function_declarator declarator: (identifier) @name)))
  ]) @unit.function
[
  (struct_specifier name: (type_identifier) @name body: (field_declaration_list))
  (union_specifier name: (type_identifier) @name body: (field_declaration_list))
  (enum_specifier name: (type_identifier) @name body: (enumerator_list))
  ; typedef struct { ... } name;
  (type_definition
    type: [(struct_specifier !name) (union_specifier !name) (enum_specifier !name)]
    declarator: (type_identifier) @name)
] @unit.type

; ---- tests: test_* functions; TEST(group, name) / Test(suite, name) macros (Unity, Criterion) ----
((function_definition
   declarator: (function_declarator declarator: (identifier) @name)) @unit.test
 (#match? @name "^test_"))
; A macro call followed by a block parses as a call statement and a compound statement: the
; block joins the unit's range.
((translation_unit
   (expression_statement
     (call_expression
       function: (identifier) @_macro
       arguments: (argument_list . (identifier) @name . (identifier) @name .))) @unit.test
   .
   (compound_statement) @extend)
 (#any-of? @_macro "TEST" "Test" "TEST_F" "ParameterizedTest" "Theory"))

; ---- imports: the name is the included path ---------------------------------------------------
(preproc_include path: (_) @name) @unit.import

; ---- guards: assert(...), if (...) return -1/NULL/false/error ---------------------------------------
((call_expression function: (identifier) @_assert) @unit.guard
 (#any-of? @_assert "assert" "static_assert" "_Static_assert"))
((if_statement
   consequence: [
     (return_statement [
       (number_literal) @_number
       (null)
       (false)
       (identifier) @_error
       (unary_expression operator: "-" argument: (identifier))
       (call_expression function: (identifier) @_error)
     ])
     (compound_statement
       (return_statement [
         (number_literal) @_number
         (null)
         (false)
         (identifier) @_error
         (unary_expression operator: "-" argument: (identifier))
         (call_expression function: (identifier) @_error)
       ]))
   ]) @unit.guard
 (#match? @_number "^-")
 (#match? @_error "^(E[A-Z0-9_]+|NULL|.*([Ee]rr|ERR|[Ff]ail|FAIL|[Ii]nvalid|INVALID).*)$"))
; if (...) followed by a call that throws, aborts or reports a fatal error by its name
; (`FMT_THROW(...)`, `throw_format_error(...)`, `abort()`, `panic(...)`, `fatal(...)`)
((if_statement
   consequence: [
     (expression_statement (call_expression function: (_) @_thrower))
     (compound_statement (expression_statement (call_expression function: (_) @_thrower)))
   ]) @unit.guard
 (#match? @_thrower "([Tt]hrow|THROW|[Ff]atal|FATAL|[Pp]anic|PANIC|^(std::)?abort$|^report_error$)"))
