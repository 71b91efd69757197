#!/usr/bin/env bash
# Real Dovecot and Postfix on loopback addresses, for the end-to-end tests (core/src/test/java/org/mailsetup/e2e),
# a Redis for the tests of replicas that share their cache and limits (service module), a Radicale
# (CalDAV and CardDAV) for the contacts and calendars tests, and a Cyrus httpd serving JMAP.
#
#   scripts/e2e-servers.sh start    install (apt, only when missing), make a test CA and certificates,
#                                   write configs, start everything, wait until every port answers
#   scripts/e2e-servers.sh stop     stop what start started
#   scripts/e2e-servers.sh status   list every port as up/down; exit 0 only when all are up
#   scripts/e2e-servers.sh start-redis | stop-redis    only the Redis (the mail servers are left alone)
#   scripts/e2e-servers.sh start-radicale | stop-radicale    only the Radicale (the others are left alone)
#   scripts/e2e-servers.sh start-cyrus | stop-cyrus          only the Cyrus JMAP server (likewise)
#
# Needs root (binds ports < 1024, runs the daemons with their own users) and Linux (all of 127.0.0.0/8
# reaches lo, so no interface setup). Nothing in /etc is used or changed: configs, keys, queues, logs
# and pid files live in the work dir, $E2E_DIR (default: <repo>/build/e2e, git-ignored). The test CA is
# $E2E_DIR/pki/ca.pem; tests trust it explicitly. Certificates are kept across restarts.
#
# Host map (each address plays one mail host; names are what the FakeDnsServer in the tests maps to it):
#
#   address      scenario       certificate for                     IMAP       POP3       SMTP
#   127.0.10.1   good.test      good.test, *.good.test              993 143S   995 110S   465 587S 25S
#   127.0.10.2   tlsonly.test   tlsonly.test, *.tlsonly.test,       993        995        465
#                               stale.test, *.stale.test
#   127.0.10.3   starttls.test  starttls.test, *.starttls.test      143S       110S       587S 25S
#   127.0.10.4   plain.test     (no TLS at all)                     143        110        587 25
#   127.0.10.5   selfsigned.test self-signed, *.selfsigned.test     993 143S   995 110S   465 587S
#   127.0.10.6   wrongname.test CA-signed, but for *.other.test     993 143S   995 110S   465 587S
#   127.0.10.7   (reserved: silent / slow-greeting servers the tests run in-process)
#   127.0.10.8   pop3only.test  pop3only.test, *.pop3only.test      -          995 110S   465 587S
#   127.0.10.9   Redis on 6379: no persistence (no RDB, no AOF), no password, loopback only
#   127.0.10.10  dav.test: Radicale (CalDAV + CardDAV) on 443 with its own TLS, certificate for dav.test,
#                *.dav.test; /.well-known/caldav and /.well-known/carddav answer 301 to /, as Radicale
#                does. One user, alice / e2e-dav-secret (htpasswd, plain), with a calendar and an
#                address book; the storage is made anew on every start.
#   127.0.10.11  jmap.test: Cyrus IMAP's httpd with its JMAP module only, on 443 with TLS (certificate for
#                jmap.test, *.jmap.test); /.well-known/jmap answers 301 to /jmap, which asks for Basic
#                authentication and gives alice / e2e-jmap-secret (sasldb) the session object. No IMAP,
#                no delivery; the spool is made anew on every start.
#
#   "S" = STARTTLS (IMAP/SMTP) or STLS (POP3). Dovecot: disable_plaintext_auth, so IMAP says LOGINDISABLED
#   before STARTTLS and AUTH=PLAIN AUTH=LOGIN after it. Postfix: SASL through Dovecot's auth socket, so
#   465 and 587 say AUTH PLAIN LOGIN only over TLS (25 never: it is the MTA port); plain.test's 587
#   offers AUTH in the clear, as careless servers do. No mail is ever delivered.
#
#   One account, nobody-e2e, with a random password in $E2E_DIR/users (readable by Dovecot and root only), signs
#   in everywhere: IMAP and POP3 through Dovecot, submission through Postfix's SASL via Dovecot's auth socket.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
W=${E2E_DIR:-$REPO/build/e2e}
MARKER=$W/servers.ready

# address:port list, the single source for the clash check, the wait and status.
PORTS=(
  127.0.10.1:993 127.0.10.1:143 127.0.10.1:995 127.0.10.1:110 127.0.10.1:465 127.0.10.1:587 127.0.10.1:25
  127.0.10.2:993 127.0.10.2:995 127.0.10.2:465
  127.0.10.3:143 127.0.10.3:110 127.0.10.3:587 127.0.10.3:25
  127.0.10.4:143 127.0.10.4:110 127.0.10.4:587 127.0.10.4:25
  127.0.10.5:993 127.0.10.5:143 127.0.10.5:995 127.0.10.5:110 127.0.10.5:465 127.0.10.5:587
  127.0.10.6:993 127.0.10.6:143 127.0.10.6:995 127.0.10.6:110 127.0.10.6:465 127.0.10.6:587
  127.0.10.8:995 127.0.10.8:110 127.0.10.8:465 127.0.10.8:587
  127.0.10.9:6379
  127.0.10.10:443
  127.0.10.11:443
)
REDIS_ADDR=127.0.10.9
REDIS_PORT=6379
RADICALE_ADDR=127.0.10.10
RADICALE_PORT=443
RADICALE_USER=alice
RADICALE_PASSWORD=e2e-dav-secret
CYRUS_ADDR=127.0.10.11
CYRUS_PORT=443
CYRUS_USER=alice
CYRUS_PASSWORD=e2e-jmap-secret
CYRUS_BIN=/usr/lib/cyrus/bin

log() { printf 'e2e-servers: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

port_open() { # addr:port
  timeout 1 bash -c "exec 3<>/dev/tcp/${1%:*}/${1#*:}" 2>/dev/null
}

# The daemons below (Redis, Radicale, Cyrus) are each one process with a pid file.
pid_running() { # pid file
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

wait_for_port() { # name, addr:port, log file, pid file (only of a process started here, not self-daemonising)
  local deadline=$((SECONDS + 15))
  until port_open "$2"; do
    [ -z "${4:-}" ] || pid_running "$4" || die "$1 exited (see $3)"
    [ $SECONDS -ge $deadline ] && die "$1 does not answer on $2 (see $3)"
    sleep 0.2
  done
}

stop_pid() { # name, pid file
  pid_running "$2" || return 0
  log "stopping $1"
  kill "$(cat "$2")" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while pid_running "$2" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  rm -f "$2"
}

# Addresses that a Dovecot listener of the given kind binds, from the host map above.
IMAP_STARTTLS="127.0.10.1 127.0.10.3 127.0.10.5 127.0.10.6"
IMAP_TLS="127.0.10.1 127.0.10.2 127.0.10.5 127.0.10.6"
POP3_STARTTLS="127.0.10.1 127.0.10.3 127.0.10.5 127.0.10.6 127.0.10.8"
POP3_TLS="127.0.10.1 127.0.10.2 127.0.10.5 127.0.10.6 127.0.10.8"

install_packages() {
  local missing=()
  command -v dovecot >/dev/null || missing+=(dovecot-imapd dovecot-pop3d)
  [ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/pop3 ] || missing+=(dovecot-pop3d)
  command -v postfix >/dev/null || missing+=(postfix)
  command -v openssl >/dev/null || missing+=(openssl)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v radicale >/dev/null || missing+=(radicale)
  # cyrus-caldav brings the httpd (with JMAP) and cyrus-common the master; not cyrus-imapd, which conflicts
  # with the lab's dovecot-imapd (both are an imap-server).
  [ -x $CYRUS_BIN/httpd ] || missing+=(cyrus-caldav)
  command -v saslpasswd2 >/dev/null || missing+=(sasl2-bin)
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  # "No configuration": the package must not set up (or start) a system mail server of its own.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  # Nor may a package start a system service (Radicale's would take localhost:5232, Cyrus's the IMAP
  # ports): policy-rc.d says no.
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  if [ $made_policy -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
}

# ---------------------------------------------------------------- certificates

issue() { # name, SAN list ("DNS:a,DNS:b")
  local name=$1 san=$2 cn
  [ -s "$W/pki/$name.pem" ] && return
  cn=${san%%,*}
  openssl req -new -newkey rsa:2048 -nodes -keyout "$W/pki/$name.key" -subj "/CN=${cn#DNS:}" \
    -out "$W/pki/$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' \
    "$san" >"$W/pki/$name.ext"
  openssl x509 -req -in "$W/pki/$name.csr" -CA "$W/pki/ca.pem" -CAkey "$W/pki/ca.key" -CAcreateserial \
    -days 825 -sha256 -extfile "$W/pki/$name.ext" -out "$W/pki/$name.pem" 2>/dev/null
  rm -f "$W/pki/$name.csr" "$W/pki/$name.ext"
}

make_pki() {
  mkdir -p "$W/pki"
  if [ ! -s "$W/pki/ca.pem" ]; then
    log "making the test CA"
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$W/pki/ca.key" -out "$W/pki/ca.pem" -days 3650 \
      -subj "/CN=mailsetup e2e test CA" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    rm -f "$W"/pki/good.pem "$W"/pki/tlsonly.pem "$W"/pki/starttls.pem "$W"/pki/wrongname.pem "$W"/pki/pop3only.pem \
      "$W"/pki/dav.pem "$W"/pki/jmap.pem
  fi
  issue good "DNS:mail.good.test,DNS:good.test,DNS:*.good.test"
  issue tlsonly "DNS:mail.tlsonly.test,DNS:tlsonly.test,DNS:*.tlsonly.test,DNS:stale.test,DNS:*.stale.test"
  issue starttls "DNS:mail.starttls.test,DNS:starttls.test,DNS:*.starttls.test"
  issue wrongname "DNS:mail.other.test,DNS:other.test,DNS:*.other.test"
  issue pop3only "DNS:mail.pop3only.test,DNS:pop3only.test,DNS:*.pop3only.test"
  issue dav "DNS:dav.test,DNS:*.dav.test"
  issue jmap "DNS:jmap.test,DNS:*.jmap.test"
  if [ ! -s "$W/pki/selfsigned.pem" ]; then
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$W/pki/selfsigned.key" -out "$W/pki/selfsigned.pem" \
      -days 825 -subj "/CN=mail.selfsigned.test" \
      -addext "subjectAltName=DNS:mail.selfsigned.test,DNS:selfsigned.test,DNS:*.selfsigned.test" 2>/dev/null
  fi
  chmod 600 "$W"/pki/*.key
}

# ---------------------------------------------------------------- Dovecot

# Which certificate each address presents.
cert_of() {
  case $1 in
    127.0.10.1) echo good ;; 127.0.10.2) echo tlsonly ;; 127.0.10.3) echo starttls ;;
    127.0.10.5) echo selfsigned ;; 127.0.10.6) echo wrongname ;; 127.0.10.8) echo pop3only ;;
  esac
}

write_dovecot_common() { # dir, instance name, default listen address
  local d=$1 name=$2 listen=$3
  cat <<EOF
# Generated by scripts/e2e-servers.sh; rewritten on every start.
instance_name = $name
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap pop3
listen = $listen
default_internal_user = dovecot
default_login_user = dovenull
# The account's mail is the dovecot user's (uid below Dovecot's default floor of 500): a login opens it.
first_valid_uid = $(id -u dovecot)
mail_location = maildir:$W/mail/%u
auth_mechanisms = plain login
# The e2e account: one user with a random password, made once; the login tests read it from this file.
passdb {
  driver = passwd-file
  args = $W/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$W/mail/%u
}
EOF
}

write_dovecot_tls() {
  local d=$W/dovecot/tls
  mkdir -p "$d/run" "$d/state"
  {
    write_dovecot_common "$d" mailsetup-e2e-tls 127.0.10.1
    cat <<EOF
ssl = yes
ssl_min_protocol = TLSv1.2
ssl_dh = </usr/share/dovecot/dh.pem
ssl_cert = <$W/pki/good.pem
ssl_key = <$W/pki/good.key
disable_plaintext_auth = yes
service imap-login {
  inet_listener imap {
    address = $IMAP_STARTTLS
    port = 143
  }
  inet_listener imaps {
    address = $IMAP_TLS
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    address = $POP3_STARTTLS
    port = 110
  }
  inet_listener pop3s {
    address = $POP3_TLS
    port = 995
    ssl = yes
  }
}
# Postfix asks this socket for SASL (smtpd runs unchrooted as user postfix).
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
EOF
    for a in 127.0.10.2 127.0.10.3 127.0.10.5 127.0.10.6 127.0.10.8; do
      printf 'local %s {\n  ssl_cert = <%s\n  ssl_key = <%s\n}\n' "$a" "$W/pki/$(cert_of $a).pem" "$W/pki/$(cert_of $a).key"
    done
  } >"$d/dovecot.conf"
}

write_dovecot_plain() {
  local d=$W/dovecot/plain
  mkdir -p "$d/run" "$d/state"
  {
    write_dovecot_common "$d" mailsetup-e2e-plain 127.0.10.4
    cat <<EOF
ssl = no
disable_plaintext_auth = no
service imap-login {
  inet_listener imap {
    address = 127.0.10.4
    port = 143
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    address = 127.0.10.4
    port = 110
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
  } >"$d/dovecot.conf"
}

dovecot_running() { # instance dir
  local pid
  pid=$(cat "$1/run/master.pid" 2>/dev/null) || return 1
  kill -0 "$pid" 2>/dev/null
}

# ---------------------------------------------------------------- Postfix

write_postfix() {
  local d=$W/postfix
  mkdir -p "$d/etc" "$d/queue" "$d/data"
  chown root "$d/queue"
  chown postfix "$d/data"
  cat >"$d/etc/main.cf" <<EOF
# Generated by scripts/e2e-servers.sh; rewritten on every start.
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
maillog_file_prefixes = $d
maillog_file = $d/postfix.log
mail_owner = postfix
myhostname = mail.good.test
mydomain = good.test
inet_interfaces = loopback-only
inet_protocols = ipv4
# Accept nothing, deliver nothing: the lab only answers EHLO and STARTTLS.
mydestination =
relay_domains =
mynetworks =
alias_maps =
alias_database =
local_transport = error:the e2e lab delivers no mail
default_transport = error:the e2e lab delivers no mail
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_chain_files = $W/pki/good.key, $W/pki/good.pem
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $W/dovecot/tls/run/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_banner = \$myhostname ESMTP mailsetup e2e
EOF
  {
    cat <<'EOF'
# Generated by scripts/e2e-servers.sh. Every smtpd is bound to one address:port of the host map.
# service type  private unpriv  chroot  wakeup  maxproc command + args
EOF
    smtpd() { # addr port cert-name mode
      local addr=$1 port=$2 cert=$3 mode=$4 opts
      opts="-o myhostname=mail.$(scenario_of "$addr")"
      case $mode in
        plain) opts+=" -o smtpd_tls_security_level=none -o smtpd_sasl_auth_enable=yes -o smtpd_tls_auth_only=no" ;;
        mta) opts+=" -o smtpd_tls_chain_files=$W/pki/$cert.key,$W/pki/$cert.pem" ;;
        submission) opts+=" -o smtpd_tls_chain_files=$W/pki/$cert.key,$W/pki/$cert.pem -o smtpd_sasl_auth_enable=yes" ;;
        wrapper) opts+=" -o smtpd_tls_chain_files=$W/pki/$cert.key,$W/pki/$cert.pem -o smtpd_tls_wrappermode=yes -o smtpd_sasl_auth_enable=yes" ;;
      esac
      printf '%s:%s inet n - n - - smtpd %s\n' "$addr" "$port" "$opts"
    }
    smtpd 127.0.10.1 465 good wrapper
    smtpd 127.0.10.1 587 good submission
    smtpd 127.0.10.1 25 good mta
    smtpd 127.0.10.2 465 tlsonly wrapper
    smtpd 127.0.10.3 587 starttls submission
    smtpd 127.0.10.3 25 starttls mta
    smtpd 127.0.10.4 587 - plain
    smtpd 127.0.10.4 25 - plain
    for a in 127.0.10.5 127.0.10.6 127.0.10.8; do
      smtpd $a 465 "$(cert_of $a)" wrapper
      smtpd $a 587 "$(cert_of $a)" submission
    done
    cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  } >"$d/etc/master.cf"
}

scenario_of() {
  case $1 in
    127.0.10.1) echo good.test ;; 127.0.10.2) echo tlsonly.test ;; 127.0.10.3) echo starttls.test ;;
    127.0.10.4) echo plain.test ;; 127.0.10.5) echo selfsigned.test ;; 127.0.10.6) echo wrongname.test ;;
    127.0.10.8) echo pop3only.test ;;
  esac
}

postfix_running() {
  postfix -c "$W/postfix/etc" status >/dev/null 2>&1
}

# ---------------------------------------------------------------- Redis

redis_running() {
  pid_running "$W/redis/redis.pid"
}

start_redis() {
  redis_running && return
  mkdir -p "$W/redis"
  log "starting Redis on $REDIS_ADDR:$REDIS_PORT"
  # Nothing is saved: no RDB snapshots (save ""), no append-only file; a restart starts empty.
  redis-server --bind "$REDIS_ADDR" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$W/redis" --pidfile "$W/redis/redis.pid" --logfile "$W/redis/redis.log" --daemonize yes \
    --protected-mode no >/dev/null
}

wait_for_redis() {
  wait_for_port Redis "$REDIS_ADDR:$REDIS_PORT" "$W/redis/redis.log"
}

stop_redis() {
  stop_pid Redis "$W/redis/redis.pid"
}

# ---------------------------------------------------------------- Radicale

radicale_running() {
  pid_running "$W/radicale/radicale.pid"
}

write_radicale() {
  local d=$W/radicale c home
  home=$d/collections/collection-root/$RADICALE_USER
  rm -rf "$d/collections"
  # A calendar and an address book, as a client would have made them (MKCALENDAR / extended MKCOL).
  for c in calendar:VCALENDAR contacts:VADDRESSBOOK; do
    mkdir -p "$home/${c%%:*}"
    printf '{"tag": "%s", "D:displayname": "%s"}' "${c#*:}" "${c%%:*}" >"$home/${c%%:*}/.Radicale.props"
  done
  printf '%s:%s\n' "$RADICALE_USER" "$RADICALE_PASSWORD" >"$d/users"
  # Radicale runs as its own user, so it gets copies of the key it may read.
  cp "$W/pki/dav.pem" "$d/tls.pem"
  cp "$W/pki/dav.key" "$d/tls.key"
  cat >"$d/config" <<EOF
# Generated by scripts/e2e-servers.sh; rewritten on every start.
[server]
hosts = $RADICALE_ADDR:$RADICALE_PORT
ssl = True
certificate = $d/tls.pem
key = $d/tls.key
[auth]
type = htpasswd
htpasswd_filename = $d/users
htpasswd_encryption = plain
delay = 0.1
[rights]
type = owner_only
[storage]
filesystem_folder = $d/collections
[web]
type = none
[logging]
level = info
EOF
  chown -R radicale: "$d"
  chmod 600 "$d/tls.key" "$d/users"
}

start_radicale() {
  radicale_running && return
  mkdir -p "$W/radicale"
  make_pki
  write_radicale
  log "starting Radicale on $RADICALE_ADDR:$RADICALE_PORT"
  # Radicale has no daemon mode and no privilege drop of its own: run it detached as its own user, with
  # only the capability to bind 443.
  setsid setpriv --reuid=radicale --regid=radicale --init-groups --inh-caps=+net_bind_service \
    --ambient-caps=+net_bind_service radicale --config "$W/radicale/config" \
    </dev/null >>"$W/radicale/radicale.log" 2>&1 &
  echo $! >"$W/radicale/radicale.pid"
}

wait_for_radicale() {
  wait_for_port Radicale "$RADICALE_ADDR:$RADICALE_PORT" "$W/radicale/radicale.log" "$W/radicale/radicale.pid"
}

stop_radicale() {
  stop_pid Radicale "$W/radicale/radicale.pid"
}

# ---------------------------------------------------------------- Cyrus (JMAP)

cyrus_running() {
  pid_running "$W/cyrus/run/master.pid"
}

write_cyrus() {
  local d=$W/cyrus
  rm -rf "$d/config" "$d/spool" "$d/run" "$d/socket"
  mkdir -p "$d/config" "$d/spool" "$d/run" "$d/socket"
  cp "$W/pki/jmap.pem" "$d/tls.pem"
  cp "$W/pki/jmap.key" "$d/tls.key"
  cat >"$d/imapd.conf" <<EOF
# Generated by scripts/e2e-servers.sh; rewritten on every start.
configdirectory: $d/config
partition-default: $d/spool
servername: jmap.test
admins: cyrus
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $d/sasldb2
sasl_mech_list: PLAIN
allowplaintext: no
httpmodules: jmap
conversations: yes
tls_server_cert: $d/tls.pem
tls_server_key: $d/tls.key
lmtpsocket: $d/socket/lmtp
idlesocket: $d/socket/idle
notifysocket: $d/socket/notify
mboxname_lockpath: $d/run/lock
proc_path: $d/run/proc
statuscache_db_path: $d/config/statuscache.db
EOF
  # Only the HTTPS service (httpd with the JMAP module); master drops to the cyrus user for it.
  cat >"$d/cyrus.conf" <<EOF
# Generated by scripts/e2e-servers.sh; rewritten on every start.
START {
  recover cmd="ctl_cyrusdb -C $d/imapd.conf -r"
}
SERVICES {
  https cmd="httpd -s -C $d/imapd.conf" listen="$CYRUS_ADDR:$CYRUS_PORT" prefork=0 maxchild=10
}
EVENTS {
  checkpoint cmd="ctl_cyrusdb -C $d/imapd.conf -c" period=30
}
EOF
  rm -f "$d/sasldb2"
  printf '%s' "$CYRUS_PASSWORD" | saslpasswd2 -p -f "$d/sasldb2" -u jmap.test -c "$CYRUS_USER"
  chown -R cyrus:mail "$d"
  chmod 600 "$d/tls.key" "$d/sasldb2"
}

start_cyrus() {
  cyrus_running && return
  mkdir -p "$W/cyrus"
  make_pki
  write_cyrus
  log "starting Cyrus (JMAP) on $CYRUS_ADDR:$CYRUS_PORT"
  $CYRUS_BIN/master -C "$W/cyrus/imapd.conf" -M "$W/cyrus/cyrus.conf" -p "$W/cyrus/run/master.pid" \
    -L "$W/cyrus/master.log" -d
}

wait_for_cyrus() {
  wait_for_port Cyrus "$CYRUS_ADDR:$CYRUS_PORT" "$W/cyrus/master.log"
}

stop_cyrus() {
  stop_pid Cyrus "$W/cyrus/run/master.pid"
}

# ---------------------------------------------------------------- commands

check_clashes() {
  # A port that answers while our daemons are down belongs to someone else: refuse rather than test it.
  local clash=()
  for p in "${PORTS[@]}"; do
    port_open "$p" && clash+=("$p")
  done
  [ ${#clash[@]} -eq 0 ] || die "already in use by another program: ${clash[*]} (stop it, or run 'stop' first)"
}

wait_for_ports() {
  local deadline=$((SECONDS + 30)) down
  while :; do
    down=()
    for p in "${PORTS[@]}"; do
      port_open "$p" || down+=("$p")
    done
    [ ${#down[@]} -eq 0 ] && return 0
    [ $SECONDS -ge $deadline ] && die "not answering after 30 s: ${down[*]} (see $W/dovecot/*/dovecot.log, $W/postfix/postfix.log)"
    sleep 0.3
  done
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (ports below 1024, daemons drop privileges themselves)"
  install_packages
  mkdir -p "$W/mail"
  chown dovecot:dovecot "$W/mail"
  make_pki
  if [ ! -s "$W/users" ]; then
    printf 'nobody-e2e:{PLAIN}%s::::::\n' "$(openssl rand -hex 24)" >"$W/users"
  fi
  # Dovecot's auth process (user dovecot) reads it, the tests (root) too; nobody else. Set on every start, so
  # that a work dir made by an older version of this script gets it as well.
  chgrp dovecot "$W/users"
  chmod 640 "$W/users"
  local tls_up=0 plain_up=0 postfix_up=0 redis_up=0 radicale_up=0 cyrus_up=0
  dovecot_running "$W/dovecot/tls" && tls_up=1
  dovecot_running "$W/dovecot/plain" && plain_up=1
  postfix_running && postfix_up=1
  redis_running && redis_up=1
  radicale_running && radicale_up=1
  cyrus_running && cyrus_up=1
  if [ $tls_up -eq 0 ] && [ $plain_up -eq 0 ] && [ $postfix_up -eq 0 ] && [ $redis_up -eq 0 ] \
    && [ $radicale_up -eq 0 ] && [ $cyrus_up -eq 0 ]; then
    check_clashes
  fi
  write_dovecot_tls
  write_dovecot_plain
  write_postfix
  for inst in tls plain; do
    local conf=$W/dovecot/$inst/dovecot.conf
    doveconf -c "$conf" -n >/dev/null || die "invalid Dovecot config $conf"
    if dovecot_running "$W/dovecot/$inst"; then
      dovecot -c "$conf" reload
    else
      log "starting Dovecot ($inst)"
      dovecot -c "$conf"
    fi
  done
  # Postfix reports command-line errors to syslog (absent in containers) or to a terminal, hence script(1).
  script -qec "postfix -c $W/postfix/etc check" /dev/null >"$W/postfix/check.out" 2>&1 \
    || die "Postfix config check failed: $(cat "$W/postfix/check.out")"
  if postfix_running; then
    postfix -c "$W/postfix/etc" reload >/dev/null 2>&1
  else
    log "starting Postfix"
    script -qec "postfix -c $W/postfix/etc start" /dev/null >"$W/postfix/start.out" 2>&1 \
      || die "Postfix did not start: $(cat "$W/postfix/start.out")"
  fi
  start_redis
  start_radicale
  start_cyrus
  wait_for_ports
  printf 'ca=%s\nstarted=%s\n' "$W/pki/ca.pem" "$(date -u +%FT%TZ)" >"$MARKER"
  log "all ${#PORTS[@]} ports answer; test CA: $W/pki/ca.pem"
  echo "$W/pki/ca.pem"
}

cmd_stop() {
  rm -f "$MARKER"
  for inst in tls plain; do
    if dovecot_running "$W/dovecot/$inst"; then
      log "stopping Dovecot ($inst)"
      dovecot -c "$W/dovecot/$inst/dovecot.conf" stop
    fi
  done
  if postfix_running; then
    log "stopping Postfix"
    postfix -c "$W/postfix/etc" stop >/dev/null 2>&1
  fi
  local deadline=$((SECONDS + 15))
  for inst in tls plain; do
    while dovecot_running "$W/dovecot/$inst" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  done
  while postfix_running && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
  stop_redis
  stop_radicale
  stop_cyrus
}

cmd_status() {
  local down=0
  for p in "${PORTS[@]}"; do
    if port_open "$p"; then echo "up   $p"; else echo "down $p"; down=1; fi
  done
  [ -f "$MARKER" ] && echo "marker $MARKER" || echo "no marker ($MARKER)"
  return $down
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  # Only the Redis, e.g. beside mail servers started by an older version of this script.
  start-redis) [ "$(id -u)" -eq 0 ] || die "must run as root"; install_packages; start_redis; wait_for_redis ;;
  stop-redis) stop_redis ;;
  start-radicale)
    [ "$(id -u)" -eq 0 ] || die "must run as root"
    install_packages; start_radicale; wait_for_radicale ;;
  stop-radicale) stop_radicale ;;
  start-cyrus)
    [ "$(id -u)" -eq 0 ] || die "must run as root"
    install_packages; start_cyrus; wait_for_cyrus ;;
  stop-cyrus) stop_cyrus ;;
  *) echo "usage: $0 start|stop|status|start-redis|stop-redis|start-radicale|stop-radicale|start-cyrus|stop-cyrus" >&2
    exit 2 ;;
esac
