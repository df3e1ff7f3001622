#!/usr/bin/env bash
# A throw-away Dovecot IMAP server on loopback for bench/GovMail.Bench.Imap: imaps (implicit TLS) on 127.0.0.1:PORT, the
# accounts of a users file (passwd-file, plain passwords), Maildir under DIR. Everything lives under DIR: own dovecot.conf,
# base_dir and a self-signed certificate. No system service is started, restarted or reconfigured.
#
# Dovecot keeps its defaults (login processes in "high-security" mode: one imap-login process per connection, which stays
# as the TLS proxy, and one imap process per logged-in client; mail_fsync = optimized) except what the benchmark needs:
# auth (passwd-file), ports, the certificate, and the limits that would refuse 10,000 clients — process_limit of
# imap-login and imap, default_client_limit and mail_max_userip_connections are raised to CONNECTIONS + 100, and the
# client_limit of anvil, stats and auth (every imap-login and imap process connects to them) to twice that.
#
#   dovecot.sh install                                # apt-get install dovecot-core dovecot-imapd if missing
#   dovecot.sh start DIR PORT USERS_FILE CONNECTIONS  # USERS_FILE: "address password" lines; prints DOVECOT_PID=…
#   dovecot.sh stop DIR
set -euo pipefail

die() { echo "dovecot.sh: $*" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

install_packages() {
    local missing=()
    [ -x /usr/sbin/dovecot ] || missing+=(dovecot-core)
    [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing ${missing[*]} (Debian packages, no service started)" >&2
    apt_install_quietly "${missing[@]}"
}

start() {
    local dir=$1 port=$2 users=$3 connections=$4
    [ -f "$users" ] || die "no users file $users"
    install_packages
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    local mail=$dir/mail limit=$((connections + 100))
    mkdir -p "$dir/run" "$dir/state" "$mail"
    chown 65534:65534 "$mail"
    chmod 755 "$dir"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=localhost" \
        -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || die "openssl could not make a certificate"
    chmod 600 "$dir/key.pem"
    awk '{ printf "%s:{PLAIN}%s::::::\n", $1, $2 }' "$users" > "$dir/users.passwd"
    chmod 644 "$dir/users.passwd"
    cat > "$dir/dovecot.conf" <<CONF
base_dir = $dir/run
state_dir = $dir/state
instance_name = govmail-bench-imap
protocols = imap
listen = 127.0.0.1
log_path = $dir/dovecot.log
ssl = required
ssl_cert = <$dir/cert.pem
ssl_key = <$dir/key.pem
auth_mechanisms = plain
mail_location = maildir:$mail/%d/%n
mail_uid = 65534
mail_gid = 65534
first_valid_uid = 1
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users.passwd
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$mail/%d/%n
}
default_client_limit = $limit
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $port
  }
  process_limit = $limit
}
service imap {
  process_limit = $limit
}
service anvil {
  client_limit = $((limit * 2 + 100))
}
service stats {
  client_limit = $((limit * 2 + 100))
}
service auth {
  client_limit = $((limit * 2 + 100))
}
protocol imap {
  mail_max_userip_connections = $limit
}
CONF
    # Every imap-login and imap process holds descriptors; the master passes its own limit on.
    ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)"
    /usr/sbin/dovecot -c "$dir/dovecot.conf" </dev/null >/dev/null 2>&1 || { tail -20 "$dir/dovecot.log" >&2 2>/dev/null; die "dovecot did not start"; }
    wait_port "$port" 20 || true
    [ -f "$dir/run/master.pid" ] || { tail -20 "$dir/dovecot.log" >&2 2>/dev/null; die "dovecot has no master.pid"; }
    echo "DOVECOT_PID=$(cat "$dir/run/master.pid")"
    echo "MAILDIR_ROOT=$mail"
}

stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    dir=$(cd "$dir" && pwd)
    stop_pid_file "$dir/run/master.pid" 30
}

case "${1:-}" in
    install) install_packages ;;
    start) [ $# -eq 5 ] || die "usage: start DIR PORT USERS_FILE CONNECTIONS"; start "$2" "$3" "$4" "$5" ;;
    stop) [ $# -eq 2 ] || die "usage: stop DIR"; stop "$2" ;;
    *) die "usage: install | start DIR PORT USERS_FILE CONNECTIONS | stop DIR" ;;
esac
