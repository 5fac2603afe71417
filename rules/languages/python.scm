; Units of Python files, for agate's syntax layer (docs/queries.md has the full contract).
;
; @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and @unit.guard mark the
; node of a unit; @name (in the same pattern) its name, several @name captures joined with ".";
; @scope an explicit enclosing scope (a Go receiver); @extend nodes that belong to the unit
; (decorators, attributes, a macro's block); @namespace a namespace or module whose @name
; prefixes the qualified names of the units inside it; captures starting with "_" only feed
; predicates, which agate evaluates (#eq?, #match?, #any-of? and their not-/any- forms). A node
; captured by several patterns is one unit: test wins over method, method over function,
; function over type. Functions directly inside a type become methods.

; ---- functions and classes ----------------------------------------------------------------------
(function_definition name: (identifier) @name) @unit.function
(class_definition name: (identifier) @name) @unit.type

; Decorators belong to the line range of what they decorate.
(decorated_definition (decorator) @extend definition: (function_definition) @unit.function)
(decorated_definition (decorator) @extend definition: (class_definition) @unit.type)

; ---- tests (pytest and unittest conventions) -------------------------------------------------
; module-level test_* functions
(module (function_definition name: (identifier) @name) @unit.test (#match? @name "^test_"))
(module
  (decorated_definition
    definition: (function_definition name: (identifier) @name) @unit.test)
  (#match? @name "^test_"))

; Test* classes and unittest.TestCase subclasses are test suites
((class_definition name: (identifier) @name) @unit.test (#match? @name "^Test"))
((class_definition
   name: (identifier) @name
   superclasses: (argument_list [(identifier) (attribute)] @_base)) @unit.test
 (#match? @_base "TestCase$"))

; test* methods of those classes
((class_definition
   name: (identifier) @_class
   body: (block [
     (function_definition name: (identifier) @name) @unit.test
     (decorated_definition definition: (function_definition name: (identifier) @name) @unit.test)
   ]))
 (#match? @_class "^Test")
 (#match? @name "^test"))
((class_definition
   superclasses: (argument_list [(identifier) (attribute)] @_base)
   body: (block [
     (function_definition name: (identifier) @name) @unit.test
     (decorated_definition definition: (function_definition name: (identifier) @name) @unit.test)
   ]))
 (#match? @_base "TestCase$")
 (#match? @name "^test"))

; ---- imports: the name is the module ------------------------------------------------------------
(import_statement name: (dotted_name) @name) @unit.import
(import_statement name: (aliased_import name: (dotted_name) @name)) @unit.import
(import_from_statement module_name: (_) @name) @unit.import

; ---- guards: raise, assert, and input checks that raise or return early ----------------------------
(raise_statement) @unit.guard
(assert_statement) @unit.guard
(if_statement consequence: (block (raise_statement))) @unit.guard
; each `elif` branch that raises is a guard of its own
(elif_clause consequence: (block (raise_statement))) @unit.guard
(if_statement !alternative consequence: (block . (return_statement) .)) @unit.guard
