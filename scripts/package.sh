#!/usr/bin/env bash
# Builds a release of agate and writes, in dist/:
#   agate-<version>-linux-<arch>.tar.gz   bin/agate (stripped) and lib/ with the few shared
#                                         libraries Debian ships without a static archive; runs on
#                                         any Linux of that architecture with glibc >= 2.36
#   agate-<version>-linux-<arch>.debug    the debug information (gdb finds it by debug link)
#   agate_<version>_<debian-arch>.deb     the same build as a Debian package (CPack)
#   SHA256SUMS                            checksums of the files above
# It installs what it needs like scripts/setup.sh and builds in build-release/ (Release, no tests,
# libgit2/GPGME/RE2/OpenSSL linked statically: cmake/packaging.cmake), and refuses a tree whose
# binary or bundled libraries need a shared library other than glibc's, libstdc++, libgcc_s and
# those in lib/. The build date is the last commit's unless SOURCE_DATE_EPOCH says otherwise, so
# two runs on one commit give the same tarball.
#   scripts/package.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Kerberos' -dev package for the static link, dpkg-dev and file for the .deb's dependencies.
AGATE_EXTRA_PACKAGES="libkrb5-dev dpkg-dev file binutils" scripts/setup.sh --deps-only

SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH
build=build-release
# -g for agate's own code (the C++), which goes to the debug file; not for the grammars' C.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS=-g -DBUILD_TESTING=OFF \
  -DAGATE_STATIC_DEPS=ON -DAGATE_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target agate

version="$("$build/agate" --version | awk '{print $2}')"
arch="$(uname -m)"
name="agate-$version-linux-$arch"
mkdir -p dist
rm -f "dist/$name.tar.gz" "dist/$name.debug" dist/agate_"$version"_*.deb dist/SHA256SUMS

# The tree: bin/agate, share/doc/agate, and lib/ with every shared library the binary needs except
# those of glibc, libstdc++ and libgcc, which every Linux of the architecture has.
stage="$build/stage"
rm -rf "$stage"
cmake --install "$build" --prefix "$stage/$name" >/dev/null
mkdir -p "$stage/$name/lib"
ldd "$stage/$name/bin/agate" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' |
  while read -r soname path; do
    owner="$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | cut -d: -f1 || true)"
    [ -z "$owner" ] && owner="$(dpkg -S "$path" 2>/dev/null | cut -d: -f1 || true)"
    case "$owner" in
      libc6 | libstdc++6 | libgcc-s1) ;;
      *) cp -L "$path" "$stage/$name/lib/$soname" ;;
    esac
  done
chmod 0644 "$stage/$name/lib/"*
# What the tree needs from the system: glibc (libc, libm, libresolv, ...), libstdc++ and libgcc_s,
# nothing else.
for elf in "$stage/$name/bin/agate" "$stage/$name/lib/"*; do
  readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | while read -r needed; do
    case "$needed" in
      libc.so.6 | libm.so.6 | libresolv.so.2 | libdl.so.2 | libpthread.so.0 | librt.so.1) ;;
      libstdc++.so.6 | libgcc_s.so.1 | ld-linux-*.so.*) ;;
      *) [ -f "$stage/$name/lib/$needed" ] ||
        { echo "package: $elf needs $needed, which the tarball lacks" >&2; exit 1; } ;;
    esac
  done
done
# ...and the loader finds the bundled ones in lib/, also where a library needs another.
ldd "$stage/$name/bin/agate" | awk '$2 == "=>" {print $1, $3}' | while read -r soname path; do
  bundled="$stage/$name/lib/$soname"
  if [ -f "$bundled" ] && [ "$(readlink -f "$path")" != "$(readlink -f "$bundled")" ]; then
    echo "package: $soname is loaded from $path, not from the tarball's lib/" >&2
    exit 1
  fi
done
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$stage" -cf - "$name" | gzip -9n >"dist/$name.tar.gz"
cp "$build/agate.debug" "dist/$name.debug"

(cd "$build" && cpack -G DEB >/dev/null)

(cd dist && sha256sum "$name.tar.gz" "$name.debug" agate_"$version"_*.deb >SHA256SUMS)
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
echo "package: dist/$name.tar.gz ($(mib "dist/$name.tar.gz"); binary $(mib "$stage/$name/bin/agate")" \
  "stripped, $(ls "$stage/$name/lib" | wc -l) bundled libraries), $(cd dist && ls agate_"$version"_*.deb)" \
  "($(mib dist/agate_"$version"_*.deb)) in ${SECONDS}s"
