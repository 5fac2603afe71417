; Units of Java files, for agate's syntax layer (docs/queries.md has the full contract).
;
; @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and @unit.guard mark the
; node of a unit; @name (in the same pattern) its name, several @name captures joined with ".";
; @scope an explicit enclosing scope (a Go receiver); @extend nodes that belong to the unit
; (decorators, attributes, a macro's block); @namespace a namespace or module whose @name
; prefixes the qualified names of the units inside it; captures starting with "_" only feed
; predicates, which agate evaluates (#eq?, #match?, #any-of? and their not-/any- forms). A node
; captured by several patterns is one unit: test wins over method, method over function,
; function over type. Functions directly inside a type become methods.

; ---- types, methods, constructors -----------------------------------------------------------------
(class_declaration name: (identifier) @name) @unit.type
(interface_declaration name: (identifier) @name) @unit.type
(enum_declaration name: (identifier) @name) @unit.type
(record_declaration name: (identifier) @name) @unit.type
(annotation_type_declaration name: (identifier) @name) @unit.type
(method_declaration name: (identifier) @name body: (block)) @unit.method
(constructor_declaration name: (identifier) @name) @unit.method
(compact_constructor_declaration name: (identifier) @name) @unit.method

; ---- tests: JUnit 4/5 and TestNG annotations ------------------------------------------------------
((method_declaration
   (modifiers [
     (marker_annotation name: (_) @_annotation)
     (annotation name: (_) @_annotation)
   ])
   name: (identifier) @name) @unit.test
 (#any-of? @_annotation "Test" "ParameterizedTest" "RepeatedTest" "TestFactory" "TestTemplate"
  "org.junit.Test" "org.junit.jupiter.api.Test" "org.testng.annotations.Test"))

; ---- imports: the name is the imported package or type --------------------------------------------
(import_declaration [(scoped_identifier) (identifier)] @name) @unit.import

; ---- guards: throw, if (...) throw, assert, precondition helpers ----------------------------------
(throw_statement) @unit.guard
(assert_statement) @unit.guard
(if_statement consequence: [(throw_statement) (block (throw_statement))]) @unit.guard
((method_invocation name: (identifier) @_check) @unit.guard
 (#any-of? @_check "requireNonNull" "checkArgument" "checkNotNull" "checkState"
  "checkElementIndex" "checkPositionIndex"))
