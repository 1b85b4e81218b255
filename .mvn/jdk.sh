# shellcheck shell=sh
# .mvn/jdk.sh: find a JDK 21 or newer for dobj. Meant to be sourced by a POSIX
# sh (dash, bash, busybox ash; not zsh, which does not split words), then:
#
#   . "$dir/.mvn/jdk.sh" && dobj_select_jdk || exit 1
#
# ./mvnw does this in its first lines; the ./dobj launcher does the same.
#
# dobj_select_jdk tries, in order, and keeps the first JDK (java and javac) of
# major version >= 21:
#   1. $JAVA_HOME;
#   2. the `java` on PATH (symlinks resolved to its home);
#   3. the newest JDK in the usual install folders (see _dobj_jdk_default_search),
#      or, when DOBJ_JDK_SEARCH_PATH is set, in its colon-separated glob
#      patterns instead (e.g. DOBJ_JDK_SEARCH_PATH='/opt/jdks/*').
# The version comes from the JDK's `release` file (JAVA_VERSION="..."), or from
# running its java when that file is missing. On success it exports JAVA_HOME,
# puts $JAVA_HOME/bin first on PATH and returns 0. Otherwise it prints one line
# to stderr and returns 1. It prints a note on stderr when it overrides a
# JAVA_HOME older than 21. It leaves the caller's shell options as they were
# (mvnw runs with `set -euf`; globbing is switched on only while scanning).

DOBJ_JDK_MIN_MAJOR=21

_dobj_jdk_default_search() {
  printf '%s\n' \
    '/usr/lib/jvm/*' \
    '/usr/java/*' \
    '/opt/java/*' \
    '/opt/jdk*' \
    '/usr/local/*jdk*' \
    "${HOME:-/nonexistent}/.sdkman/candidates/java/*" \
    "${HOME:-/nonexistent}/.jdks/*" \
    '/Library/Java/JavaVirtualMachines/*/Contents/Home'
}

# Prints the Java version of the JDK home $1 (e.g. 25.0.3, 21, 1.8.0_292), or
# nothing when $1 is not a JDK (no bin/java or no bin/javac).
_dobj_jdk_version() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$1/release" 2>/dev/null | head -n 1
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^[[:space:]]*java\.version = //p' | head -n 1
  fi
}

# Prints a sortable integer for version $1: major*10^6 + minor*10^3 + patch;
# 1.8.0_292 counts as major 8. Prints 0 when $1 has no number.
_dobj_jdk_key() {
  case $1 in 1.*) _dobj_v=${1#1.} ;; *) _dobj_v=$1 ;; esac
  # shellcheck disable=SC2046 # splitting the dotted numbers into fields is the point
  set -- $(printf '%s\n' "$_dobj_v" | sed 's/[^0-9][^0-9]*/ /g') 0 0 0
  # Leading zeros stripped so that shell arithmetic does not read octal.
  _dobj_a=$(printf '%s' "$1" | sed 's/^0*//')
  _dobj_b=$(printf '%s' "$2" | sed 's/^0*//')
  _dobj_c=$(printf '%s' "$3" | sed 's/^0*//')
  [ "${#_dobj_a}" -le 6 ] || _dobj_a=0
  [ "${#_dobj_b}" -le 3 ] || _dobj_b=999
  [ "${#_dobj_c}" -le 3 ] || _dobj_c=999
  echo $((${_dobj_a:-0} * 1000000 + ${_dobj_b:-0} * 1000 + ${_dobj_c:-0}))
}

# Succeeds when $1 is a JDK home of major version >= DOBJ_JDK_MIN_MAJOR and
# sets _dobj_found_version and _dobj_found_key; remembers the newest JDK seen
# in _dobj_seen for the failure message.
_dobj_jdk_ok() {
  _dobj_found_version=$(_dobj_jdk_version "$1") || return 1
  [ -n "$_dobj_found_version" ] || return 1
  _dobj_found_key=$(_dobj_jdk_key "$_dobj_found_version")
  if [ "$_dobj_found_key" -gt "${_dobj_seen_key:-0}" ]; then
    _dobj_seen_key=$_dobj_found_key
    _dobj_seen="$_dobj_found_version at $1"
  fi
  [ "$_dobj_found_key" -ge $((DOBJ_JDK_MIN_MAJOR * 1000000)) ]
}

# Prints the home of the `java` found on PATH, or fails.
_dobj_jdk_path_home() {
  _dobj_java=$(command -v java 2>/dev/null) || return 1
  [ -n "$_dobj_java" ] || return 1
  _dobj_real=$(readlink -f "$_dobj_java" 2>/dev/null) || _dobj_real=
  case $_dobj_real in
    */bin/java)
      _dobj_home=${_dobj_real%/bin/java}
      if [ -f "$_dobj_home/release" ]; then
        printf '%s\n' "$_dobj_home"
        return 0
      fi
      ;;
  esac
  # No readlink -f, or a stub such as macOS's /usr/bin/java: ask the JVM.
  _dobj_home=$("$_dobj_java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^[[:space:]]*java\.home = //p' | head -n 1)
  [ -n "$_dobj_home" ] || return 1
  printf '%s\n' "${_dobj_home%/jre}"
}

_dobj_jdk_use() {
  JAVA_HOME=$1
  PATH="$1/bin${PATH:+:$PATH}"
  export JAVA_HOME PATH
}

dobj_select_jdk() {
  _dobj_seen= _dobj_seen_key=0

  if [ -n "${JAVA_HOME:-}" ]; then
    if _dobj_jdk_ok "$JAVA_HOME"; then
      _dobj_jdk_use "$JAVA_HOME"
      return 0
    fi
    _dobj_rejected=$JAVA_HOME
  else
    _dobj_rejected=
  fi

  if _dobj_home=$(_dobj_jdk_path_home) && _dobj_jdk_ok "$_dobj_home"; then
    _dobj_best=$_dobj_home
  else
    # Scan the install folders: split the list on ':' with globbing off, then
    # expand each pattern with globbing on and no word splitting.
    case $- in *f*) _dobj_noglob=1 ;; *) _dobj_noglob= ;; esac
    _dobj_best= _dobj_best_key=0
    _dobj_patterns=${DOBJ_JDK_SEARCH_PATH:-$(_dobj_jdk_default_search | tr '\n' ':')}
    _dobj_ifs=$IFS
    set -f
    IFS=:
    for _dobj_pattern in $_dobj_patterns; do
      [ -n "$_dobj_pattern" ] || continue
      set +f
      IFS=
      # An unmatched pattern stays literal and fails the checks in _dobj_jdk_ok.
      # shellcheck disable=SC2086
      for _dobj_dir in $_dobj_pattern; do
        IFS=$_dobj_ifs
        _dobj_dir=${_dobj_dir%/}
        if _dobj_jdk_ok "$_dobj_dir" && [ "$_dobj_found_key" -gt "$_dobj_best_key" ]; then
          _dobj_best=$_dobj_dir
          _dobj_best_key=$_dobj_found_key
        fi
      done
      set -f
    done
    IFS=$_dobj_ifs
    [ -n "$_dobj_noglob" ] || set +f
  fi

  if [ -z "$_dobj_best" ]; then
    echo "dobj needs JDK $DOBJ_JDK_MIN_MAJOR or newer; none found in JAVA_HOME, PATH or the usual JDK folders (/usr/lib/jvm, ~/.sdkman, ~/.jdks, ...)${_dobj_seen:+; newest seen: $_dobj_seen}. Install one (Ubuntu 22.04+/Debian 13+: apt-get install openjdk-21-jdk-headless; or Temurin 21+) and/or set JAVA_HOME." >&2
    return 1
  fi
  if [ -n "$_dobj_rejected" ]; then
    echo "dobj: JAVA_HOME=$_dobj_rejected is not a JDK $DOBJ_JDK_MIN_MAJOR+; using $_dobj_best" >&2
  fi
  _dobj_jdk_use "$_dobj_best"
}
