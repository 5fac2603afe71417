; Units of Go files, for agate's syntax layer (docs/queries.md has the full contract).
;
; @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and @unit.guard mark the
; node of a unit; @name (in the same pattern) its name, several @name captures joined with ".";
; @scope an explicit enclosing scope (a Go receiver); @extend nodes that belong to the unit
; (decorators, attributes, a macro's block); @namespace a namespace or module whose @name
; prefixes the qualified names of the units inside it; captures starting with "_" only feed
; predicates, which agate evaluates (#eq?, #match?, #any-of? and their not-/any- forms). A node
; captured by several patterns is one unit: test wins over method, method over function,
; function over type. Functions directly inside a type become methods.

; ---- functions, methods (with their receiver type as scope), types ----------------------------
(function_declaration name: (identifier) @name) @unit.function
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [
        (type_identifier) @scope
        (pointer_type (type_identifier) @scope)
        (generic_type type: (type_identifier) @scope)
        (pointer_type (generic_type type: (type_identifier) @scope))
      ]))
  name: (field_identifier) @name) @unit.method
(type_spec name: (type_identifier) @name) @unit.type
(type_alias name: (type_identifier) @name) @unit.type

; ---- tests: func TestXxx(t *testing.T), BenchmarkXxx(b *testing.B), FuzzXxx(f *testing.F) ----
((function_declaration
   name: (identifier) @name
   parameters: (parameter_list
     .
     (parameter_declaration
       type: (pointer_type
         (qualified_type package: (package_identifier) @_pkg name: (type_identifier) @_type)))
     .)) @unit.test
 (#match? @name "^(Test|Benchmark|Fuzz)")
 (#eq? @_pkg "testing")
 (#any-of? @_type "T" "B" "F"))

; ---- imports: the name is the import path ---------------------------------------------------------
(import_spec path: (interpreted_string_literal (interpreted_string_literal_content) @name)) @unit.import
(import_spec path: (raw_string_literal (raw_string_literal_content) @name)) @unit.import

; ---- guards ---------------------------------------------------------------------------------------
; if err != nil { ... }
((if_statement
   condition: (binary_expression
     left: (identifier) @_err
     operator: "!="
     right: (nil))) @unit.guard
 (#match? @_err "(?i)err"))
; input checks that return an error: if x == nil { return nil, errors.New("...") }
((if_statement
   consequence: (block
     (statement_list
       (return_statement
         (expression_list [
           (call_expression
             function: (selector_expression
               operand: (identifier) @_pkg
               field: (field_identifier) @_fn))
           (identifier) @_sentinel
         ]))))) @unit.guard
 (#any-of? @_pkg "errors" "fmt")
 (#any-of? @_fn "New" "Errorf")
 (#match? @_sentinel "^Err"))
((call_expression function: (identifier) @_panic) @unit.guard (#eq? @_panic "panic"))
