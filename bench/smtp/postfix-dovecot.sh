#!/usr/bin/env bash
# A throw-away Postfix + Dovecot on loopback for bench/GovMail.Bench.Smtp: Postfix smtpd on 127.0.0.1:PORT takes mail for
# one virtual domain and hands it over LMTP (unix socket) to Dovecot, which writes Maildir. Everything lives under DIR:
# own main.cf/master.cf (postfix -c DIR/postfix), own queue and data directories, own dovecot.conf and base_dir. No system
# service is started, restarted or reconfigured; port 25 is not touched. Both keep their default fsync behaviour
# (Postfix cleanup fsyncs the queue file before 250; Dovecot mail_fsync=optimized fsyncs each delivered Maildir file).
#
#   postfix-dovecot.sh install                                  # apt-get install postfix dovecot-core dovecot-lmtpd if missing
#   postfix-dovecot.sh start DIR PORT DOMAIN RECIPIENTS_FILE   # prints POSTFIX_PID=… DOVECOT_PID=… MAILDIR_ROOT=…
#   postfix-dovecot.sh stop DIR
#   postfix-dovecot.sh pids DIR                                 # every process of the instance, one pid a line
set -euo pipefail

die() { echo "postfix-dovecot.sh: $*" >&2; exit 1; }
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/instances.sh"

install_packages() {
    local missing=()
    command -v postfix >/dev/null 2>&1 || missing+=(postfix)
    [ -x /usr/sbin/dovecot ] || missing+=(dovecot-core)
    [ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing ${missing[*]} (Debian packages; Postfix 'No configuration', no service started)" >&2
    [ "$(id -u)" = 0 ] || die "need root to install ${missing[*]}"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    echo "postfix postfix/mailname string localhost" | debconf-set-selections
    apt_install_quietly "${missing[@]}"
}

start() {
    local dir=$1 port=$2 domain=$3 recipients=$4
    [ -f "$recipients" ] || die "no recipients file $recipients"
    install_packages
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    local pf=$dir/postfix dv=$dir/dovecot mail=$dir/mail
    mkdir -p "$pf" "$dv/run" "$mail" "$dir/postfix-data" "$dir/postfix-queue"
    # The mail store belongs to nobody (Dovecot refuses to deliver as root).
    chown 65534:65534 "$mail"
    # Postfix data directory must belong to mail_owner.
    chown postfix "$dir/postfix-data"
    # Directories above must be traversable by postfix/nobody.
    chmod 755 "$dir"

    # --- Dovecot: LMTP only, static userdb, Maildir, defaults otherwise (mail_fsync = optimized).
    cat > "$dv/dovecot.conf" <<CONF
base_dir = $dv/run
state_dir = $dv/state
instance_name = govmail-bench-dovecot
protocols = lmtp
listen = 127.0.0.1
log_path = $dir/dovecot.log
ssl = no
auth_mechanisms = plain
mail_location = maildir:$mail/%d/%n
mail_uid = 65534
mail_gid = 65534
first_valid_uid = 1
default_login_user = dovenull
default_internal_user = dovecot
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$mail/%d/%n
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
CONF
    mkdir -p "$dv/state"
    # No inherited stdio: the caller may be waiting for end of output.
    /usr/sbin/dovecot -c "$dv/dovecot.conf" </dev/null >/dev/null 2>&1

    # --- Postfix: own config directory, queue and data directories; defaults otherwise.
    cut -d' ' -f1 "$recipients" | sed '/^$/d; s/$/ OK/' > "$pf/virtual_mailboxes"
    cat > "$pf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/postfix-queue
data_directory = $dir/postfix-data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.postfix-bench.invalid
mydomain = postfix-bench.invalid
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
smtpd_banner = \$myhostname ESMTP
biff = no
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
virtual_mailbox_domains = $domain
virtual_mailbox_maps = texthash:$pf/virtual_mailboxes
virtual_transport = lmtp:unix:$dv/run/lmtp
alias_maps =
alias_database =
local_recipient_maps =
CONF
    # Debian's stock master.cf, with smtpd on loopback:PORT and nothing chrooted (the queue lives outside /var/spool).
    awk -v port="$port" '
        /^#/ || /^[ \t]/ || NF < 8 { print; next }
        $1 == "smtp" && $2 == "inet" { $1 = "127.0.0.1:" port }
        { $5 = "n"; print }' /usr/share/postfix/master.cf.dist > "$pf/master.cf"
    script -qec "postfix -c $pf check" /dev/null >&2 || die "postfix check failed"
    script -qec "postfix -c $pf start" /dev/null >/dev/null || { tail -20 "$dir/postfix.log" >&2 2>/dev/null; die "postfix did not start"; }
    wait_port "$port" 20 || { tail -20 "$dir/postfix.log" >&2 2>/dev/null; die "postfix does not answer on 127.0.0.1:$port"; }
    for _ in $(seq 50); do [ -S "$dv/run/lmtp" ] && break; sleep 0.1; done
    [ -S "$dv/run/lmtp" ] || die "dovecot lmtp socket missing ($dir/dovecot.log)"
    echo "POSTFIX_PID=$(tr -d ' ' < "$dir/postfix-queue/pid/master.pid")"
    echo "DOVECOT_PID=$(cat "$dv/run/master.pid")"
    echo "MAILDIR_ROOT=$mail/$domain"
}

stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/postfix/main.cf" ]; then postfix -c "$dir/postfix" stop >/dev/null 2>&1 || true; fi
    stop_pid_file "$dir/dovecot/run/master.pid" 5
    # Postfix master exits after its children; wait so the next run (or rm -rf) does not race it.
    local mpid
    if [ -f "$dir/postfix-queue/pid/master.pid" ]; then
        mpid=$(tr -d ' ' < "$dir/postfix-queue/pid/master.pid")
        for _ in $(seq 100); do kill -0 "$mpid" 2>/dev/null || break; sleep 0.1; done
    fi
}

# Every live process of the instance: the two masters and their descendants.
pids() {
    local dir; dir=$(cd "$1" && pwd)
    local roots=()
    [ -f "$dir/postfix-queue/pid/master.pid" ] && roots+=("$(tr -d ' ' < "$dir/postfix-queue/pid/master.pid")")
    [ -f "$dir/dovecot/run/master.pid" ] && roots+=("$(cat "$dir/dovecot/run/master.pid")")
    local queue=("${roots[@]}") p c
    while [ ${#queue[@]} -gt 0 ]; do
        p=${queue[0]}; queue=("${queue[@]:1}")
        kill -0 "$p" 2>/dev/null || continue
        echo "$p"
        for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do queue+=("$c"); done
    done
}

case "${1:-}" in
    install) install_packages ;;
    start) [ $# -eq 5 ] || die "usage: start DIR PORT DOMAIN RECIPIENTS_FILE"; start "$2" "$3" "$4" "$5" ;;
    stop) [ $# -eq 2 ] || die "usage: stop DIR"; stop "$2" ;;
    pids) [ $# -eq 2 ] || die "usage: pids DIR"; pids "$2" ;;
    *) die "usage: install | start DIR PORT DOMAIN RECIPIENTS_FILE | stop DIR | pids DIR" ;;
esac
