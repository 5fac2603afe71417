; Units of C++ files, for agate's syntax layer (docs/queries.md has the full contract).
;
; @unit.function, @unit.method, @unit.type, @unit.test, @unit.import and @unit.guard mark the
; node of a unit; @name (in the same pattern) its name, several @name captures joined with ".";
; @scope an explicit enclosing scope (a Go receiver); @extend nodes that belong to the unit
; (decorators, attributes, a macro's block); @namespace a namespace or module whose @name
; prefixes the qualified names of the units inside it; captures starting with "_" only feed
; predicates, which agate evaluates (#eq?, #match?, #any-of? and their not-/any- forms). A node
; captured by several patterns is one unit: test wins over method, method over function,
; function over type. Functions directly inside a type become methods.
; Out-of-line member definitions (`void Foo::bar()`) are methods named `bar` in scope `Foo`.

; The patterns are few and use alternations: tree-sitter analyses every pattern against the
; grammar when the query is compiled, and the C++ grammar makes that cost about 10 ms a pattern.

; ---- namespaces: their names join the qualified names of the units inside --------------------
(namespace_definition name: (_) @name) @namespace

; ---- functions, methods, types ------------------------------------------------------------------
(function_definition
  declarator: [
    (function_declarator
      declarator: [(identifier) (field_identifier) (qualified_identifier) (destructor_name)
                   (operator_name) (template_function)] @name)
    (pointer_declarator
      declarator: (function_declarator
        declarator: [(identifier) (field_identifier) (qualified_identifier) (operator_name)
                     (template_function)] @name))
    (reference_declarator
      (function_declarator
        declarator: [(identifier) (field_identifier) (qualified_identifier) (operator_name)
                     (template_function)] @name))
  ]) @unit.function
[
  (class_specifier name: (_) @name body: (field_declaration_list))
  (struct_specifier name: (_) @name body: (field_declaration_list))
  (union_specifier name: (_) @name body: (field_declaration_list))
  (enum_specifier name: (_) @name body: (enumerator_list))
  ; typedef struct { ... } name;
  (type_definition
    type: [
      (struct_specifier !name body: (field_declaration_list))
      (union_specifier !name body: (field_declaration_list))
      (enum_specifier !name body: (enumerator_list))
    ]
    declarator: (type_identifier) @name)
] @unit.type

; ---- tests ------------------------------------------------------------------------------------------
; test_* functions
((function_definition
   declarator: (function_declarator declarator: (identifier) @name)) @unit.test
 (#match? @name "^test_"))
; GoogleTest TEST(Suite, Name) / TEST_F / TEST_P / TYPED_TEST, Boost BOOST_AUTO_TEST_CASE(name):
; parsed as a function definition whose "parameters" are the macro arguments.
((function_definition
   declarator: (function_declarator
     declarator: (identifier) @_macro
     parameters: (parameter_list
       .
       (parameter_declaration type: (type_identifier) @name)
       .
       (parameter_declaration type: (type_identifier) @name)?
       .))) @unit.test
 (#any-of? @_macro "TEST" "TEST_F" "TEST_P" "TYPED_TEST" "TYPED_TEST_P" "BOOST_AUTO_TEST_CASE"
  "BOOST_FIXTURE_TEST_CASE" "BOOST_DATA_TEST_CASE"))
; Catch2 and doctest TEST_CASE("name") { ... }: a call statement followed by a block, at file
; level or in a namespace; the block joins the unit's range. TEST_CASE_METHOD(Fixture, "name")
; takes its name from the string after the fixture.
((translation_unit
   (expression_statement
     (call_expression
       function: (identifier) @_macro
       arguments: (argument_list . (identifier)? @_fixture . (string_literal) @name))) @unit.test
   .
   (compound_statement) @extend)
 (#any-of? @_macro "TEST_CASE" "SCENARIO" "TEMPLATE_TEST_CASE" "TEST_CASE_METHOD"
  "TEST_CASE_FIXTURE"))
((declaration_list
   (expression_statement
     (call_expression
       function: (identifier) @_macro
       arguments: (argument_list . (identifier)? @_fixture . (string_literal) @name))) @unit.test
   .
   (compound_statement) @extend)
 (#any-of? @_macro "TEST_CASE" "SCENARIO" "TEMPLATE_TEST_CASE" "TEST_CASE_METHOD"
  "TEST_CASE_FIXTURE"))

; ---- imports: the name is the included path ---------------------------------------------------
(preproc_include path: (_) @name) @unit.import

; ---- guards: assert/CHECK, throw, if (...) throw, if (...) return -1/nullptr/false/error --------
((call_expression function: (identifier) @_assert) @unit.guard
 (#match? @_assert "^(assert|D?CHECK(_[A-Z]+)?)$"))
[(static_assert_declaration) (throw_statement)] @unit.guard
((if_statement
   consequence: [
     (throw_statement)
     (compound_statement (throw_statement))
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
