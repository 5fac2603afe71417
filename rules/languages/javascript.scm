; Units of JavaScript files, for agate's syntax layer (docs/queries.md).
;
; Convention: @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and
; @unit.guard mark the node of a unit; @name (in the same pattern) its name, several @name
; captures are joined with "."; @scope an explicit enclosing scope for out-of-line
; definitions; @extend nodes that belong to the unit's line range; captures starting with "_"
; only feed predicates. Predicates (#eq?, #match?, #any-of? and their not-/any- forms) are
; evaluated by agate. A node captured by several patterns is one unit: test wins over method,
; method over function, function over type. Functions directly inside a class become methods;
; qualified names join the enclosing units' names with ".".

; ---- functions, classes, methods ----------------------------------------------------------------
(function_declaration name: (identifier) @name) @unit.function
(generator_function_declaration name: (identifier) @name) @unit.function
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @unit.function
(assignment_expression
  left: (member_expression property: (property_identifier) @name)
  right: [(arrow_function) (function_expression)]) @unit.function
(class_declaration name: (identifier) @name) @unit.type
(class name: (identifier) @name) @unit.type
(method_definition name: (_) @name) @unit.method
(field_definition
  property: (property_identifier) @name
  value: [(arrow_function) (function_expression)]) @unit.method

; ---- tests: describe/it/test (Jest, Mocha, Vitest, node:test, Jasmine) --------------------------
((call_expression
   function: (identifier) @_fn
   arguments: (arguments . [(string) (template_string)] @name)) @unit.test
 (#any-of? @_fn "describe" "it" "test" "suite" "context" "specify" "fdescribe" "fit" "xdescribe" "xit" "xtest"))
((call_expression
   function: (member_expression object: (identifier) @_fn property: (property_identifier) @_mod)
   arguments: (arguments . [(string) (template_string)] @name)) @unit.test
 (#any-of? @_fn "describe" "it" "test" "suite" "context")
 (#any-of? @_mod "only" "skip" "todo" "concurrent" "failing" "sequential"))
((call_expression
   function: (call_expression
     function: (member_expression object: (identifier) @_fn property: (property_identifier) @_mod))
   arguments: (arguments . [(string) (template_string)] @name)) @unit.test
 (#any-of? @_fn "describe" "it" "test")
 (#eq? @_mod "each"))

; ---- imports: the name is the module specifier --------------------------------------------------
(import_statement source: (string (string_fragment) @name)) @unit.import
(export_statement source: (string (string_fragment) @name)) @unit.import
((call_expression
   function: (identifier) @_require
   arguments: (arguments . (string (string_fragment) @name) .)) @unit.import
 (#eq? @_require "require"))
(call_expression
  function: (import)
  arguments: (arguments . (string (string_fragment) @name))) @unit.import

; ---- guards: throw, if (...) throw, assert(...) ----------------------------------------------------
(throw_statement) @unit.guard
(if_statement consequence: [(throw_statement) (statement_block (throw_statement))]) @unit.guard
((call_expression function: (identifier) @_assert) @unit.guard
 (#any-of? @_assert "assert" "invariant"))
