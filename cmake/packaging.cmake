# Release packaging: the link of a binary that runs on any x86_64 Linux with glibc >= 2.36, and
# the Debian package (CPack). scripts/package.sh drives it:
#   cmake -DAGATE_STATIC_DEPS=ON ...   libgit2, GPGME, RE2 and OpenSSL and what they need come from
#                                      Debian's static archives; the few libraries Debian ships
#                                      only shared (Kerberos, which libgit2 uses for HTTP
#                                      Negotiate) are copied beside the binary by package.sh and
#                                      found through the RPATH $ORIGIN/../lib.
#   cpack -G DEB                       dist/agate_<version>_<arch>.deb of the same build.

option(AGATE_STATIC_DEPS
  "Link libgit2, GPGME, RE2, OpenSSL and their dependencies from static archives (release builds)"
  OFF)

# The full paths of lib<name>.a for each name, in order, into `out`.
function(agate_static_archives out)
  set(paths "")
  foreach(name IN LISTS ARGN)
    find_library(AGATE_STATIC_LIB_${name} NAMES "lib${name}.a")
    if(NOT AGATE_STATIC_LIB_${name})
      message(FATAL_ERROR "AGATE_STATIC_DEPS: lib${name}.a not found (its -dev package)")
    endif()
    list(APPEND paths "${AGATE_STATIC_LIB_${name}}")
  endforeach()
  set(${out} "${paths}" PARENT_SCOPE)
endfunction()

if(AGATE_STATIC_DEPS)
  # The imported targets agate_core links keep their names; only what they stand for changes.
  # The order is the static link order (a library before the ones it needs), as
  # `pkg-config --static --libs libgit2 gpgme` prints it.
  agate_static_archives(crypto_libs crypto)
  agate_static_archives(git2_libs git2 mbedtls mbedx509 mbedcrypto http_parser ssh2 ssl crypto
                        pcre2-8 z)
  agate_static_archives(gpgme_libs gpgme assuan gpg-error)
  agate_static_archives(re2_libs re2) # Debian 12's RE2 needs no abseil
  find_package(Threads REQUIRED)
  set_property(TARGET PkgConfig::LIBGIT2 PROPERTY INTERFACE_LINK_LIBRARIES
    ${git2_libs} gssapi_krb5 rt dl Threads::Threads)
  set_property(TARGET PkgConfig::GPGME PROPERTY INTERFACE_LINK_LIBRARIES
    ${gpgme_libs} Threads::Threads)
  set_property(TARGET PkgConfig::RE2 PROPERTY INTERFACE_LINK_LIBRARIES ${re2_libs} Threads::Threads)
  set_property(TARGET OpenSSL::Crypto PROPERTY IMPORTED_LOCATION "${crypto_libs}")
  set_property(TARGET OpenSSL::Crypto PROPERTY INTERFACE_LINK_LIBRARIES dl Threads::Threads)
  # libcurl (agate check --publish) stays a shared library: Debian's static archive needs a dozen
  # more (nghttp2, idn2, rtmp, psl, ldap, brotli...). scripts/package.sh ships it and what it
  # needs in lib/, as it does for Kerberos.
  # DT_RPATH, not DT_RUNPATH: the loader searches an executable's RPATH for the dependencies of
  # its libraries too (libgssapi_krb5 needs libkrb5, ...), and RUNPATH only for its own.
  set_target_properties(agate PROPERTIES
    BUILD_RPATH "\$ORIGIN/../lib" INSTALL_RPATH "\$ORIGIN/../lib")
  target_link_options(agate PRIVATE "LINKER:--disable-new-dtags")
  # Each link leaves a stripped agate and its debug information in agate.debug beside it (gdb
  # finds it through the debug link), so that install(), the tarball and the .deb all take the
  # stripped binary.
  add_custom_command(TARGET agate POST_BUILD
    COMMAND "${CMAKE_OBJCOPY}" --only-keep-debug --compress-debug-sections=zlib agate agate.debug
    COMMAND "${CMAKE_OBJCOPY}" --strip-all --add-gnu-debuglink=agate.debug agate
    WORKING_DIRECTORY "$<TARGET_FILE_DIR:agate>"
    VERBATIM)
endif()

# --- the Debian package ----------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME agate)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "agate maintainers <agate@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "gate AI-generated code in git: hooks, CI step, prompt-log review")
set(CPACK_PACKAGE_DESCRIPTION
  "agate checks the changes a commit, a push or a pull request brings: deletions, duplicated\n"
  "code, provenance of AI-generated changes and commit signatures, in one binary with the\n"
  "tree-sitter grammars and rules inside.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # agate_<version>_<arch>.deb
# The shared libraries it links (glibc, libstdc++, Kerberos) come from dpkg-shlibdeps; git and
# gnupg are what hooks and `agate verify` run.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "git, gnupg")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "openssh-client")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_OUTPUT_FILE_PREFIX "${CMAKE_SOURCE_DIR}/dist")
include(CPack)
