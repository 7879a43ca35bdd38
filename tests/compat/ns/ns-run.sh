#!/bin/sh
# ns-run.sh DIR COMMAND [ARG]...
# Runs COMMAND in a private mount namespace whose /etc/hosts,
# /etc/nsswitch.conf and /etc/netgroup are those of DIR, so that name
# lookups give the same, known answers to both libraries.  /etc is
# overlaid inside the namespace only (or, without overlayfs, replaced by
# a private copy); the machine's own /etc is never written.  Needs root;
# fails loudly when the namespace cannot be made.
set -eu
if [ "${COMPAT_NS_INSIDE:-}" != 1 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "ns-run: needs root for unshare -m and mount" >&2
        exit 1
    fi
    COMPAT_NS_INSIDE=1 exec unshare -m --propagation private "$0" "$@"
fi
dir=$1
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/compat-ns.XXXXXX")
mkdir "$work/upper" "$work/work"
for f in hosts nsswitch.conf netgroup host.conf; do
    cp "$dir/$f" "$work/upper/$f"
done
if ! mount -t overlay overlay \
        -o "lowerdir=/etc,upperdir=$work/upper,workdir=$work/work" /etc \
        2>/dev/null; then
    cp -a /etc "$work/etc"
    cp "$work/upper/hosts" "$work/upper/nsswitch.conf" \
        "$work/upper/netgroup" "$work/upper/host.conf" "$work/etc/"
    mount --bind "$work/etc" /etc
fi
# A name service cache would answer from outside the namespace.
if [ -d /var/run/nscd ]; then
    mount -t tmpfs tmpfs /var/run/nscd
fi
cmp -s /etc/hosts "$dir/hosts" || { echo "ns-run: /etc/hosts not replaced" >&2; exit 1; }
status=0
"$@" || status=$?
umount /etc 2>/dev/null || true
rm -rf "$work" 2>/dev/null || true
exit $status
