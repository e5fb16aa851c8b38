#!/usr/bin/env bash
# native/check.sh - prove the real function survives GraalVM native-image, on machines without GraalVM or docker.
# Not part of the shipped function; a verification aid (see README "Native").
#  1. Quarkus writes the native build inputs (target/native-sources) for this project;
#  2. the native-image builder from Maven Central (org.graalvm.nativeimage:svm) runs on Temurin 25 with the small
#     C shims in this folder standing in for GraalVM's static libraries (builder-from-parts.sh does 1-3);
#  3. analysis, compilation and link to a binary (dynamically linked against the JDK 25's shared libraries);
#  4. the binary is started against the stand-ins and driven: /initialize, status, dry-run and real sweeps via
#     /invoke (so the Alibaba Cloud SDK's signing and HTTP run natively); start-up time and RSS are printed.
# Exits 0 only when all of it worked. Needs: JDK25 (default the machine's Temurin 25), gcc, ~10 GB RAM, ~10 min.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export WORK=${WORK:-$root/target/native-check}
export APP_DIR=$root SHIM_SRC=$here
export BUILDER_XMX=${BUILDER_XMX:-14g}
STAGES="tool app build" bash "$here/builder-from-parts.sh"
binary=$(ls "$WORK"/out/*-runner 2>/dev/null | head -1)
[ -x "$binary" ] || { echo "native/check.sh: no binary in $WORK/out" >&2; exit 1; }
echo "binary: $binary ($(du -h "$binary" | cut -f1))"
cd "$root"
./mvnw -B -q test-compile
cp=$(./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
java -cp "$cp:target/classes:target/test-classes" io.ackrotator.demo.NativeSmoke "$binary"
