#!/bin/sh
# Print the path of the newest Python 3.12+ that actually runs here.
# Bare commands come first; pyenv shims that fail unless selected are probed
# again through `pyenv which` with each installed version selected.
ok() { "$@" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }
for cmd in python3.14 python3.13 python3.12 python3; do
    if command -v "$cmd" >/dev/null 2>&1 && ok "$cmd"; then
        "$cmd" -c 'import sys; print(sys.executable)'
        exit 0
    fi
done
if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -rV); do
        minor=$(echo "$version" | cut -d. -f1,2)
        path=$(PYENV_VERSION=$version pyenv which "python$minor" 2>/dev/null)
        if [ -n "$path" ] && ok "$path"; then
            echo "$path"
            exit 0
        fi
    done
fi
echo "find_python.sh: no Python 3.12 or newer runs here; install one or pass" \
     "PYTHON=/path/to/python3.12" >&2
exit 1
