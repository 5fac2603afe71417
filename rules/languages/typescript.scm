; Units of TypeScript files, for agate's syntax layer (docs/queries.md has the full contract).
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

; ---- namespaces: their names join the qualified names of the units inside --------------------
[(internal_module name: (_) @name) (module name: (_) @name)] @namespace

; ---- functions, classes, methods ----------------------------------------------------------------
[
  (function_declaration name: (identifier) @name)
  (generator_function_declaration name: (identifier) @name)
  (variable_declarator
    name: (identifier) @name
    value: [(arrow_function) (function_expression) (generator_function)])
  (assignment_expression
    left: (member_expression property: (property_identifier) @name)
    right: [(arrow_function) (function_expression)])
] @unit.function
[
  (class_declaration name: (type_identifier) @name)
  (abstract_class_declaration name: (type_identifier) @name)
  (class name: (type_identifier) @name)
  (interface_declaration name: (type_identifier) @name)
  (enum_declaration name: (identifier) @name)
  (type_alias_declaration name: (type_identifier) @name)
] @unit.type
[
  (method_definition name: (_) @name)
  (public_field_definition
    name: (property_identifier) @name
    value: [(arrow_function) (function_expression)])
] @unit.method

; ---- tests: describe/it/test (Jest, Mocha, Vitest, node:test, Jasmine) --------------------------
; it("name", ...), it.only("name", ...), it.each(table)("name", ...)
((call_expression
   function: [
     (identifier) @_fn
     (member_expression object: (identifier) @_fn property: (property_identifier) @_modifier)
     (call_expression
       function: (member_expression object: (identifier) @_fn property: (property_identifier) @_each))
   ]
   arguments: (arguments . [(string) (template_string)] @name)) @unit.test
 (#any-of? @_fn "describe" "it" "test" "suite" "context" "specify" "fdescribe" "fit" "xdescribe"
  "xit" "xtest")
 (#any-of? @_modifier "only" "skip" "todo" "concurrent" "failing" "sequential")
 (#eq? @_each "each"))

; ---- imports: the name is the module specifier --------------------------------------------------
[
  (import_statement source: (string (string_fragment) @name))
  (export_statement source: (string (string_fragment) @name))
] @unit.import
; require("x") and import("x")
((call_expression
   function: [(identifier) @_require (import)]
   arguments: (arguments . (string (string_fragment) @name) .)) @unit.import
 (#eq? @_require "require"))

; ---- guards: throw, if (...) throw, assert(...) ----------------------------------------------------
[
  (throw_statement)
  (if_statement consequence: [(throw_statement) (statement_block (throw_statement))])
] @unit.guard
((call_expression function: (identifier) @_assert) @unit.guard
 (#any-of? @_assert "assert" "invariant"))
