#!/usr/bin/env bash
# Latency lab: cold mailsetup lookups against real servers behind an added network delay.
#
#   benchmarks/latency-lab/latency-lab.sh up      install Debian packages, build the delayer, make a lab CA, start the netns
#                                "mslab" with nsd, nginx, Dovecot, Postfix, a tarpit and a black-hole address, delay
#                                every packet on the netns' veth by DELAY_MS each way (default 25 => 50 ms RTT)
#   benchmarks/latency-lab/latency-lab.sh check   ping/dig/curl/openssl through the delay (timings of the raw protocols)
#   benchmarks/latency-lab/latency-lab.sh run     build the jar if needed and measure cold lookups per kind of domain
#   benchmarks/latency-lab/latency-lab.sh login   what a login check adds after discovery (LoginLab.java)
#   benchmarks/latency-lab/latency-lab.sh down    stop everything the lab started, remove the netns (idempotent)
#   benchmarks/latency-lab/latency-lab.sh all     up, check, run, down
#
# Environment: DELAY_MS (25), ITERATIONS (15), WARMUP (10), TIMEOUT (6s), KINDS ("srv autoconfig guess
# blackhole tarpit"; "srv+all" is srv.lab looked up with every service: contacts, calendars and JMAP beside
# mail), JAR (service/target/mailsetup.jar), CAPTURE=1 (tcpdump the first lookup of each kind), JAVA_HOME;
# LAB_NS (mslab), LAB_NET (10.99.0), LAB_QUEUE (7) and LAB_DIR (build/lab) to run a second lab beside one.
# Needs root (network namespaces, iptables). Traffic stays on the veth pair $LAB_NET.0/24 it creates.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SRC=$HERE
LAB=${LAB_DIR:-$ROOT/build/lab}
NS=${LAB_NS:-mslab}
NET=${LAB_NET:-10.99.0}
HOST_IF=${NS}0        # host end of the veth pair
NS_IF=${NS}1          # netns end
HOST_IP=$NET.1
DNS_IP=$NET.2         # nsd
WEB_IP=$NET.3         # nginx (autoconfig, ISPDB stand-in, DAV and JMAP)
MAIL_IP=$NET.4        # Dovecot + Postfix
TARPIT_IP=$NET.5      # STARTTLS ports served by Dovecot + Postfix; implicit-TLS ports accept TCP and never speak
HOLE_IP=$NET.9        # drops everything: connects hang
LAB_PASSWORD=lab-login-password   # the lab's Dovecot takes it for any user (a throwaway lab secret)
QUEUE=${LAB_QUEUE:-7}
DELAY_MS=${DELAY_MS:-25}
ITERATIONS=${ITERATIONS:-15}
WARMUP=${WARMUP:-10}
TIMEOUT=${TIMEOUT:-6s}
KINDS=${KINDS:-srv autoconfig guess blackhole tarpit}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=${JAR:-$ROOT/service/target/mailsetup.jar}   # JAR=... measures another build

log() { printf '[lab] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
inns() { ip netns exec "$NS" "$@"; }

need_root() { [ "$(id -u)" = 0 ] || die "run as root (network namespaces, iptables)"; }

deps() {
    local pkgs=(iproute2 iptables libnetfilter-queue-dev gcc libc6-dev nsd nginx dovecot-imapd dovecot-pop3d
        postfix openssl curl bind9-dnsutils iputils-ping tcpdump procps python3)
    local missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt-get update -q >/dev/null
        # Postfix asks questions and the packages start system services: neither is wanted here.
        echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
        # Keep the packages' own system-wide instances from starting (Debian's policy-rc.d hook), for the
        # duration of the install only.
        local policy=/usr/sbin/policy-rc.d own_policy=0
        if [ ! -e "$policy" ]; then
            printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
            || { [ "$own_policy" = 1 ] && rm -f "$policy"; die "apt-get install failed"; }
        # An if, not '&&': a false test as the function's last command would fail it (and, under set -e, 'up').
        if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi
    fi
}

build_delayer() {
    mkdir -p "$LAB/bin"
    if [ ! -x "$LAB/bin/delayer" ] || [ "$SRC/delayer.c" -nt "$LAB/bin/delayer" ]; then
        cc -O2 -Wall -Wextra -o "$LAB/bin/delayer" "$SRC/delayer.c" -lnetfilter_queue -lnfnetlink
    fi
}

make_certs() {
    local d=$LAB/certs
    # A lab directory from before a name was added gets new certificates.
    [ -s "$d/server.crt" ] && [ -s "$d/ca.crt" ] && grep -q 'slow.tarpit.lab' "$d/ext.cnf" 2>/dev/null && grep -q 'dav.srv.lab' "$d/ext.cnf" && return 0
    mkdir -p "$d"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=mailsetup latency lab CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=lab mail and web" \
        -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
    local san="DNS:hermes.srv.lab,DNS:autoconfig.autoconfig.lab,DNS:hermes.autoconfig.lab"
    san+=",DNS:imap.guess.lab,DNS:smtp.guess.lab,DNS:pop.guess.lab,DNS:ispdb.infra.lab"
    san+=",DNS:warm.lab,DNS:*.warm.lab,DNS:*.blackhole.lab,DNS:dav.srv.lab,DNS:slow.tarpit.lab"
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' "$san" >"$d/ext.cnf"
    openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 30 \
        -extfile "$d/ext.cnf" -out "$d/server.crt" 2>/dev/null
    chmod 644 "$d/server.key"   # read by Dovecot/Postfix/nginx workers; a throwaway lab key
}

# ---------------------------------------------------------------- configuration files (all under $LAB)

zone() { # zone NAME BODY...
    local name=$1; shift
    {
        printf '$ORIGIN %s.\n$TTL 300\n' "$name"
        printf '@ SOA ns.infra.lab. hostmaster.infra.lab. 1 3600 600 86400 60\n@ NS ns.infra.lab.\n'
        printf '%s\n' "$@"
    } >"$LAB/nsd/$name.zone"
    printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "$name" "$LAB/nsd/$name.zone" >>"$LAB/nsd/nsd.conf"
}

write_dns() {
    mkdir -p "$LAB/nsd"
    cat >"$LAB/nsd/nsd.conf" <<EOF
server:
	ip-address: $DNS_IP
	port: 53
	do-ip6: no
	username: ""
	chroot: ""
	zonesdir: "$LAB/nsd"
	database: ""
	zonelistfile: "$LAB/nsd/zone.list"
	xfrdfile: "$LAB/nsd/xfrd.state"
	xfrdir: "$LAB/nsd"
	pidfile: "$LAB/run/nsd.pid"
	logfile: "$LAB/log/nsd.log"
	server-count: 1
	hide-version: yes
	verbosity: 1
remote-control:
	control-enable: no
EOF
    local M=$MAIL_IP W=$WEB_IP H=$HOLE_IP T=$TARPIT_IP
    zone infra.lab "ns A $DNS_IP" "ispdb A $W"
    # SRV only: the host name is one that no guess tries; no autoconfig, no web for mail. Contacts, calendars
    # and JMAP (for the srv+all kind) by SRV too, on dav.srv.lab: RFC 6764 with a TXT path, RFC 8620's SRV.
    zone srv.lab "@ MX 10 hermes" "hermes A $M" \
        "_imaps._tcp SRV 0 1 993 hermes" "_imap._tcp SRV 10 1 143 hermes" \
        "_pop3s._tcp SRV 20 1 995 hermes" "_pop3._tcp SRV 30 1 110 hermes" \
        "_submissions._tcp SRV 0 1 465 hermes" "_submission._tcp SRV 10 1 587 hermes" \
        "dav A $W" "_caldavs._tcp SRV 0 1 443 dav" '_caldavs._tcp TXT "path=/dav/"' \
        "_carddavs._tcp SRV 0 1 443 dav" '_carddavs._tcp TXT "path=/dav/"' "_jmap._tcp SRV 0 1 443 dav"
    # autoconfig.<d> serves config-v1.1 over HTTPS; the mail host is one that no guess tries.
    zone autoconfig.lab "@ MX 10 hermes" "hermes A $M" "autoconfig A $W"
    # Only the guessable names exist.
    zone guess.lab "@ MX 10 smtp" "imap A $M" "smtp A $M"
    # Every name a source may try points at an address that drops every packet.
    zone blackhole.lab "@ A $H" "@ MX 10 mail" "mail A $H" "imap A $H" "smtp A $H" "pop A $H" "pop3 A $H" \
        "autoconfig A $H" "autodiscover A $H" "ua-auto-config A $H" \
        "_imaps._tcp SRV 0 1 993 mail" "_submissions._tcp SRV 0 1 465 mail" "_autodiscover._tcp SRV 0 1 443 mail"
    # Implicit TLS (preferred by SRV priority and by ranking) is tarpitted; STARTTLS on the same host works.
    zone tarpit.lab "@ MX 10 slow" "slow A $T" \
        "_imaps._tcp SRV 0 1 993 slow" "_imap._tcp SRV 10 1 143 slow" \
        "_submissions._tcp SRV 0 1 465 slow" "_submission._tcp SRV 10 1 587 slow"
    # For warming the JVM up: every kind of answer at once.
    zone warm.lab "@ MX 10 mail" "mail A $M" "imap A $M" "smtp A $M" "autoconfig A $W" \
        "_imaps._tcp SRV 0 1 993 mail" "_submissions._tcp SRV 0 1 465 mail"
}

write_web() {
    mkdir -p "$LAB/nginx/tmp" "$LAB/www"
    local d
    for d in autoconfig warm; do
        mkdir -p "$LAB/www/autoconfig.$d.lab/mail"
        local host=hermes.$d.lab
        [ "$d" = warm ] && host=mail.warm.lab
        sed -e "s/@DOMAIN@/$d.lab/g" -e "s/@HOST@/$host/g" "$SRC/config-v1.1.xml.in" \
            >"$LAB/www/autoconfig.$d.lab/mail/config-v1.1.xml"
    done
    cat >"$LAB/nginx/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $LAB/run/nginx.pid;
error_log $LAB/log/nginx-error.log;
events { worker_connections 512; }
http {
    access_log $LAB/log/nginx-access.log;
    client_body_temp_path $LAB/nginx/tmp/body;
    proxy_temp_path $LAB/nginx/tmp/proxy;
    fastcgi_temp_path $LAB/nginx/tmp/fastcgi;
    uwsgi_temp_path $LAB/nginx/tmp/uwsgi;
    scgi_temp_path $LAB/nginx/tmp/scgi;
    types { text/xml xml; }
    default_type application/octet-stream;
    server {
        listen $WEB_IP:80 default_server;
        listen $WEB_IP:443 ssl default_server;
        server_name _;
        ssl_certificate $LAB/certs/server.crt;
        ssl_certificate_key $LAB/certs/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $LAB/www/\$host;
        location / { try_files \$uri =404; }
    }
    # A CalDAV/CardDAV server and a JMAP session as they answer without credentials: a challenge.
    server {
        listen $WEB_IP:443 ssl;
        server_name dav.srv.lab;
        ssl_certificate $LAB/certs/server.crt;
        ssl_certificate_key $LAB/certs/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        location /dav/ {
            add_header DAV "1, 2, 3, calendar-access, addressbook" always;
            add_header WWW-Authenticate 'Basic realm="lab"' always;
            return 401;
        }
        location = /.well-known/jmap { return 301 https://dav.srv.lab/jmap/session; }
        location = /jmap/session {
            add_header WWW-Authenticate 'Bearer realm="lab"' always;
            return 401;
        }
    }
}
EOF
}

write_mail() {
    mkdir -p "$LAB/dovecot" "$LAB/mail" "$LAB/postfix/conf" "$LAB/postfix/spool" "$LAB/postfix/data"
    chown postfix:postfix "$LAB/postfix/data"
    chown dovecot:dovecot "$LAB/mail"
    cat >"$LAB/dovecot/dovecot.conf" <<EOF
base_dir = $LAB/run/dovecot
state_dir = $LAB/dovecot/state
instance_name = $NS-dovecot
log_path = $LAB/log/dovecot.log
protocols = imap pop3
listen = $MAIL_IP, $TARPIT_IP
ssl = yes
ssl_cert = <$LAB/certs/server.crt
ssl_key = <$LAB/certs/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
mail_location = maildir:$LAB/mail/%u
first_valid_uid = $(id -u dovecot)
# Any user signs in with this password: what the login measurement (latency-lab.sh login) uses.
passdb {
  driver = static
  args = password=$LAB_PASSWORD
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$LAB/mail/%u
}
service imap-login {
  inet_listener imap {
    port = 143
  }
  inet_listener imaps {
    address = $MAIL_IP
    port = 993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 110
  }
  inet_listener pop3s {
    address = $MAIL_IP
    port = 995
    ssl = yes
  }
}
service auth {
  unix_listener $LAB/postfix/spool/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
    local pc=$LAB/postfix/conf
    cat >"$pc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $LAB/postfix/spool
data_directory = $LAB/postfix/data
meta_directory = /etc/postfix
maillog_file_prefixes = $LAB/log
maillog_file = $LAB/log/postfix.log
mail_owner = postfix
setgid_group = postdrop
myhostname = hermes.srv.lab
mydomain = srv.lab
myorigin = \$myhostname
mydestination =
relay_domains =
inet_interfaces = $MAIL_IP, $TARPIT_IP
inet_protocols = ipv4
# The netns has no resolver for reverse look-ups: do not stall the greeting on them.
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
smtpd_tls_cert_file = $LAB/certs/server.crt
smtpd_tls_key_file = $LAB/certs/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_relay_restrictions = permit_sasl_authenticated, reject
EOF
    # No chroot anywhere: the lab's paths are outside any chroot Postfix would build.
    cat >"$pc/master.cf" <<EOF
$MAIL_IP:25 inet n - n - - smtpd
$MAIL_IP:587 inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
$TARPIT_IP:587 inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
$MAIL_IP:465 inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp unix - - n - - smtp
relay unix - - n - - smtp
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
local unix - n n - - local
virtual unix - n n - - virtual
lmtp unix - - n - - lmtp
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOF
}

# ---------------------------------------------------------------- network

net_up() {
    ip netns add "$NS"
    inns ip link set lo up
    ip link add "$HOST_IF" type veth peer name "$NS_IF"
    ip link set "$NS_IF" netns "$NS"
    ip addr add "$HOST_IP/24" dev "$HOST_IF"
    ip link set "$HOST_IF" up
    # Offloads would merge segments into super-packets that the delayer would then hold as one.
    ethtool_off "$HOST_IF" ""
    local a
    for a in $DNS_IP $WEB_IP $MAIL_IP $TARPIT_IP $HOLE_IP; do inns ip addr add "$a/24" dev "$NS_IF"; done
    inns ip link set "$NS_IF" up
    ethtool_off "$NS_IF" inns
    inns ip route add default via "$HOST_IP"
    # The black hole: nothing in or out, no RST, no ICMP.
    inns iptables -w -A INPUT -i "$NS_IF" -d "$HOLE_IP" -j DROP
    # The delay: every packet that enters or leaves the netns over the veth waits DELAY_MS in user space.
    # No --queue-bypass: if the delayer dies, traffic stops instead of silently going undelayed.
    inns iptables -w -A INPUT -i "$NS_IF" -j NFQUEUE --queue-num "$QUEUE"
    inns iptables -w -A OUTPUT -o "$NS_IF" -j NFQUEUE --queue-num "$QUEUE"
}

ethtool_off() { # best effort; ethtool may be absent, veth GRO is off by default anyway
    command -v ethtool >/dev/null || return 0
    ${2:+$2} ethtool -K "$1" tso off gso off gro off >/dev/null 2>&1 || true
}

start_servers() {
    mkdir -p "$LAB/run" "$LAB/log"
    # The delayer must be first: without it, the NFQUEUE rules drop everything.
    # (ip netns exec, not the inns function: a backgrounded function would keep the caller's stdout open)
    ip netns exec "$NS" setsid "$LAB/bin/delayer" "$QUEUE" "$DELAY_MS" >>"$LAB/log/delayer.log" 2>&1 </dev/null &
    echo $! >"$LAB/run/delayer.pid"
    ip netns exec "$NS" setsid nsd -d -c "$LAB/nsd/nsd.conf" >>"$LAB/log/nsd.log" 2>&1 </dev/null &
    echo $! >"$LAB/run/nsd.fg.pid"
    inns nginx -c "$LAB/nginx/nginx.conf" -p "$LAB/nginx" -e "$LAB/log/nginx-error.log" </dev/null >>"$LAB/log/nginx-error.log" 2>&1
    # Postfix first: it creates the queue's private/ directory where Dovecot puts its SASL socket.
    inns postfix -c "$LAB/postfix/conf" start </dev/null >>"$LAB/log/postfix-start.log" 2>&1 \
        || die "postfix did not start: $(tail -5 "$LAB/log/postfix-start.log")"
    inns dovecot -c "$LAB/dovecot/dovecot.conf" </dev/null >>"$LAB/log/dovecot.log" 2>&1
    # The tarpit: listening sockets that never accept; the kernel completes the TCP handshake of each
    # connection in the backlog, so a client is connected and then hears nothing, ever.
    ip netns exec "$NS" setsid python3 -c '
import socket, sys, time
socks = []
for port in (993, 995, 465):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], port))
    s.listen(4096)
    socks.append(s)
while True:
    time.sleep(3600)
' "$TARPIT_IP" >>"$LAB/log/tarpit.log" 2>&1 </dev/null &
    echo $! >"$LAB/run/tarpit.pid"
    wait_port "$DNS_IP" 53 udp; wait_port "$WEB_IP" 443; wait_port "$MAIL_IP" 993; wait_port "$MAIL_IP" 465
    wait_port "$TARPIT_IP" 143; wait_port "$TARPIT_IP" 587; wait_port "$TARPIT_IP" 993
}

wait_port() { # HOST PORT [udp]: listening inside the netns
    local i flag=-tln
    [ "${3:-}" = udp ] && flag=-uln
    for i in $(seq 50); do
        inns ss -H "$flag" "src $1:$2" | grep -q . && return 0
        sleep 0.1
    done
    die "nothing listens on $1:$2 (${3:-tcp}); see $LAB/log/"
}

# ---------------------------------------------------------------- commands

cmd_up() {
    need_root
    cmd_down quiet
    deps
    build_delayer
    make_certs
    write_dns; write_web; write_mail
    net_up
    start_servers
    log "up: netns $NS, ${DELAY_MS} ms each way; DNS $DNS_IP, web $WEB_IP, mail $MAIL_IP, tarpit $TARPIT_IP, black hole $HOLE_IP"
}

cmd_down() {
    need_root
    if ip netns list 2>/dev/null | grep -qw "^$NS"; then
        local pids
        # Everything running in the netns was started by this script; stop the services politely first.
        postfix -c "$LAB/postfix/conf" stop >/dev/null 2>&1 || true
        pids=$(ip netns pids "$NS" || true)
        [ -n "$pids" ] && kill $pids 2>/dev/null || true
        for _ in $(seq 30); do
            pids=$(ip netns pids "$NS" || true)
            [ -z "$pids" ] && break
            sleep 0.1
        done
        pids=$(ip netns pids "$NS" || true)
        [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
        ip netns del "$NS"
    fi
    ip link del "$HOST_IF" 2>/dev/null || true
    rm -f "$LAB"/run/*.pid
    [ "${1:-}" = quiet ] || log "down"
}

ms() { # wall time of a command, in ms
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}

cmd_check() {
    ip netns list | grep -qw "^$NS" || die "lab is not up"
    local rtt
    rtt=$(ping -c 5 -i 0.2 -q "$MAIL_IP" | awk -F/ '/^rtt/ {print $5}')
    log "ping $MAIL_IP: avg RTT $rtt ms (expect ~$((2 * DELAY_MS)))"
    printf 'dig SRV _imaps._tcp.srv.lab: %s\n' "$(dig +short +tries=1 +time=2 @$DNS_IP SRV _imaps._tcp.srv.lab)"
    printf 'dig A imap.guess.lab:        %s\n' "$(dig +short +tries=1 +time=2 @$DNS_IP A imap.guess.lab)"
    printf 'dig A nope.guess.lab:        %s\n' "$(dig +tries=1 +time=2 @$DNS_IP A nope.guess.lab | grep -o 'status: [A-Z]*')"
    printf 'dig query time:              %s ms\n' "$(dig +tries=1 +time=2 @$DNS_IP A imap.guess.lab | awk '/Query time/ {print $4}')"
    local curl_out
    curl_out=$(curl -sS --cacert "$LAB/certs/ca.crt" --resolve "autoconfig.autoconfig.lab:443:$WEB_IP" \
        -o /dev/null -w '%{http_code} connect=%{time_connect}s tls=%{time_appconnect}s total=%{time_total}s' \
        "https://autoconfig.autoconfig.lab/mail/config-v1.1.xml?emailaddress=alice%40autoconfig.lab")
    printf 'curl autoconfig (HTTPS):     %s\n' "$curl_out"
    local p
    for p in "993:a LOGOUT" "995:QUIT" "465:QUIT"; do
        printf 'openssl s_client %-11s %s ms (TCP + TLS + greeting + logout)\n' "${p%%:*}" \
            "$(ms bash -c "echo '${p#*:}' | timeout 5 openssl s_client -quiet -verify_return_error \
                -CAfile '$LAB/certs/ca.crt' -connect $MAIL_IP:${p%%:*} -servername mail.warm.lab")"
    done
    printf 'openssl -starttls smtp 587: %s ms (TCP + greeting + EHLO + STARTTLS + TLS + EHLO + QUIT)\n' \
        "$(ms bash -c "echo QUIT | timeout 5 openssl s_client -quiet -verify_return_error -CAfile '$LAB/certs/ca.crt' \
            -starttls smtp -connect $MAIL_IP:587 -servername smtp.guess.lab")"
    printf 'greeting imaps: %s\n' "$(echo 'a LOGOUT' | timeout 5 openssl s_client -quiet -CAfile "$LAB/certs/ca.crt" \
        -connect $MAIL_IP:993 -servername imap.guess.lab 2>/dev/null | head -1 | cut -c1-120)"
    printf 'black hole %s:993: %s\n' "$HOLE_IP" "$(timeout 2 bash -c "</dev/tcp/$HOLE_IP/993" 2>&1 && echo open || echo 'no answer (as intended)')"
    kill -USR1 "$(cat "$LAB/run/delayer.pid")" 2>/dev/null || true
    sleep 0.1
    tail -1 "$LAB/log/delayer.log" >&2
}

cmd_run() {
    need_root
    ip netns list | grep -qw "^$NS" || die "lab is not up (benchmarks/latency-lab/latency-lab.sh up)"
    if [ ! -s "$JAR" ]; then
        log "building $JAR"
        (cd "$ROOT" && mvn -o -q -B -pl service -am package -DskipTests)
    fi
    mkdir -p "$LAB/results"
    local stamp out pcap=()
    stamp=$(date +%Y%m%d-%H%M%S)
    out=$LAB/results/run-$stamp
    if [ "${CAPTURE:-0}" = 1 ]; then pcap=(--capture "$out-pcap"); mkdir -p "$out-pcap"; fi
    log "measuring: kinds [$KINDS], $ITERATIONS cold lookups each after $WARMUP warm-up lookups, deadline $TIMEOUT"
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$JAR" "$SRC/LatencyLab.java" \
        --dns "$DNS_IP" --ca "$LAB/certs/ca.crt" --allow "$NET.0/24" --client "$HOST_IP" \
        --ispdb "https://ispdb.infra.lab/v1.1/" --timeout "$TIMEOUT" \
        --iterations "$ITERATIONS" --warmup "$WARMUP" --delay-ms "$DELAY_MS" \
        --interface "$HOST_IF" "${pcap[@]}" --out "$out" $KINDS
    log "raw results: $out.jsonl, summary: $out.md"
}

cmd_login() {
    need_root
    ip netns list | grep -qw "^$NS" || die "lab is not up (benchmarks/latency-lab/latency-lab.sh up)"
    [ -s "$JAR" ] || (cd "$ROOT" && mvn -o -q -B -pl service -am package -DskipTests)
    mkdir -p "$LAB/results"
    local out
    out=$LAB/results/login-$(date +%Y%m%d-%H%M%S)
    log "measuring login checks after discovery: $ITERATIONS runs after $WARMUP warm-up runs"
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$JAR" "$SRC/LoginLab.java" \
        --dns "$DNS_IP" --ca "$LAB/certs/ca.crt" --allow "$NET.0/24" --ispdb "https://ispdb.infra.lab/v1.1/" \
        --password "$LAB_PASSWORD" --iterations "$ITERATIONS" --warmup "$WARMUP" --delay-ms "$DELAY_MS" --out "$out"
    log "summary: $out.md"
}

case "${1:-}" in
    up) cmd_up ;;
    login) cmd_login ;;
    down) cmd_down ;;
    check) cmd_check ;;
    run) cmd_run ;;
    all) cmd_up; trap 'cmd_down' EXIT; cmd_check; cmd_run ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
