# Gives each discovered doctest case the ctest label of the folder its file is in (tests/unit,
# tests/e2e, tests/eval), so that `ctest -L unit` is the fast run while editing. Run after each
# build of the test binary; it writes a file of set_tests_properties() calls that ctest reads
# after doctest_discover_tests()'s own file. (doctest's ADD_LABELS asks the binary for each
# case's suite with --test-case=<name>, which a name with a comma does not match.)
#   cmake -DTEST_EXECUTABLE=... -DOUTPUT=... -P doctest_labels.cmake
set(script "")
foreach(label unit e2e eval package)
  execute_process(
    COMMAND "${TEST_EXECUTABLE}" --list-test-cases "--source-file=*tests/${label}/*"
    OUTPUT_VARIABLE output
    RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "cannot list the test cases of ${TEST_EXECUTABLE}: ${output}")
  endif()
  string(REPLACE "\n" ";" lines "${output}")
  foreach(line IN LISTS lines)
    if(line STREQUAL "" OR line MATCHES "^=+$" OR line MATCHES [==[^\[doctest\] ]==])
      continue()
    endif()
    # tests/package skip (print "agate-package-skip: ...") when dist/ has no release.
    set(extra "")
    if(label STREQUAL "package")
      set(extra " SKIP_REGULAR_EXPRESSION agate-package-skip:")
    endif()
    string(APPEND script "set_tests_properties([==[${line}]==] PROPERTIES LABELS ${label}${extra})\n")
  endforeach()
endforeach()
file(WRITE "${OUTPUT}" "${script}")
