# Shell helpers shared by the scripts that start throw-away Postfix / Dovecot instances (scripts/dovecot-instance for the
# IMAP benchmark and the migration tests, bench/smtp/postfix-dovecot.sh). Source it; the caller defines die().

# apt_install_quietly PACKAGE…: installs Debian packages without letting their scripts start system-wide daemons
# (policy-rc.d answers 101 while apt-get runs); updates the package lists once if the first try fails.
apt_install_quietly() {
    [ "$(id -u)" = 0 ] || die "need root to install $*"
    local policy_added=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_added=1
    fi
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300)
    "${apt[@]}" install -y -q "$@" >&2 || { "${apt[@]}" update -q >&2; "${apt[@]}" install -y -q "$@" >&2; }
    [ $policy_added = 1 ] && rm -f /usr/sbin/policy-rc.d
    return 0
}

# wait_port PORT SECONDS: succeeds as soon as 127.0.0.1:PORT accepts a connection, fails after SECONDS.
wait_port() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# stop_pid_file FILE SECONDS: sends SIGTERM to the pid in FILE (if any) and waits up to SECONDS for it to be gone.
stop_pid_file() {
    [ -f "$1" ] || return 0
    local pid i; pid=$(tr -d ' ' < "$1")
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
}
