// The onboarding page: one GET of v1/lookup (mail, and contacts, calendars and JMAP when asked for),
// rendered through textContent only, never parsed as HTML,
// so nothing a server or DNS record says can become markup. Copy this into a sign-up flow as a starting point.
'use strict';

const SECURITY = {
  tls: 'TLS (encrypted from the start)',
  starttls: 'STARTTLS (encrypted after connecting)',
  plain: 'None — not safe',
};

const $ = (id) => document.getElementById(id);

function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.className = kind || '';
}

function badge(text, kind) {
  const b = document.createElement('span');
  b.className = 'badge ' + kind;
  b.textContent = text;
  return b;
}

function renderServer(server) {
  const li = $('server-template').content.firstElementChild.cloneNode(true);
  li.querySelector('.protocol').textContent = server.protocol.toUpperCase();
  const badges = li.querySelector('.badges');
  badges.append(server.verified ? badge('verified', 'good') : badge('not verified', 'neutral'));
  if (!server.trusted) {
    badges.append(badge('unconfirmed source', 'warn'));
  }
  if (server.security === 'plain') {
    badges.append(badge('unencrypted', 'bad'));
  }
  li.querySelector('.host').textContent = server.host;
  li.querySelector('.port').textContent = String(server.port);
  li.querySelector('.security').textContent = SECURITY[server.security] || server.security;
  li.querySelector('.username').textContent = server.username;
  li.querySelector('.found-by').textContent = server.foundBy.join(', ');
  for (const button of li.querySelectorAll('button.copy')) {
    const value = String(server[button.dataset.copy]);
    button.addEventListener('click', () => copy(value, button));
  }
  return li;
}

const PROTOCOL = { contacts: 'CardDAV', calendars: 'CalDAV', jmap: 'JMAP' };
// config-v1.1 words from sources, or the HTTP schemes a probe saw.
const SIGN_IN = {
  'http-basic': 'password', Basic: 'password', 'http-digest': 'password (digest)', Digest: 'password (digest)',
  OAuth2: 'OAuth2 (sign in with the provider)', Bearer: 'OAuth2 (sign in with the provider)',
};

// A contacts, calendars or JMAP endpoint: the URL a client starts from, and how to sign in.
function renderEndpoint(kind, endpoint) {
  const li = $('endpoint-template').content.firstElementChild.cloneNode(true);
  li.querySelector('.protocol').textContent = PROTOCOL[kind];
  const badges = li.querySelector('.badges');
  badges.append(endpoint.verified ? badge('verified', 'good') : badge('not verified', 'neutral'));
  if (!endpoint.trusted) {
    badges.append(badge('unconfirmed source', 'warn'));
  }
  li.querySelector('.url').textContent = endpoint.url;
  li.querySelector('.username').textContent = endpoint.username;
  const signIn = [...new Set(endpoint.auth.map((a) => SIGN_IN[a] || a))];
  li.querySelector('.auth').textContent = signIn.length ? signIn.join(', ') : 'password';
  li.querySelector('.found-by').textContent = endpoint.foundBy.join(', ');
  for (const button of li.querySelectorAll('button.copy')) {
    const value = String(endpoint[button.dataset.copy]);
    button.addEventListener('click', () => copy(value, button));
  }
  return li;
}

function fillEndpoints(kind, endpoints) {
  const list = $(kind);
  list.replaceChildren(...endpoints.map((e) => renderEndpoint(kind, e)));
  if (endpoints.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'Nothing found.';
    list.append(li);
  }
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch (e) {
    button.textContent = 'Copy failed';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

function fill(listId, servers) {
  const list = $(listId);
  list.replaceChildren(...servers.map(renderServer));
  if (servers.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'Nothing found.';
    list.append(li);
  }
}

function render(result, services) {
  $('provider').textContent = result.provider ? result.provider.name : result.domain;
  // What the provider wants done first (an app password, enabling IMAP, ...), with its help page.
  const notes = result.provider ? result.provider.notes : [];
  $('notes').replaceChildren(...notes.map((n) => {
    const li = document.createElement('li');
    li.textContent = n.text + ' ';
    if (n.url && n.url.startsWith('https://')) {
      const a = document.createElement('a');
      a.href = n.url;
      a.rel = 'noopener noreferrer';
      a.textContent = 'How?';
      li.append(a);
    }
    return li;
  }));
  $('notes-box').hidden = notes.length === 0;
  fill('incoming', result.incoming);
  fill('outgoing', result.outgoing);
  for (const kind of ['contacts', 'calendars', 'jmap']) {
    fillEndpoints(kind, result[kind] || []);
  }
  $('services-box').hidden = !services;

  // The downloads set up contacts and calendars too when the page looked for them.
  const q = encodeURIComponent(result.email) + (services ? '&services=mail,contacts,calendars' : '');
  $('mobileconfig').href = 'v1/mobileconfig?email=' + q;
  $('autoconfig').href = 'mail/config-v1.1.xml?emailaddress=' + q;

  $('warnings').replaceChildren(...result.warnings.map((w) => {
    const li = document.createElement('li');
    li.textContent = w;
    return li;
  }));
  $('warnings-box').hidden = result.warnings.length === 0;

  $('sources').replaceChildren(...result.sources.map((s) => {
    const tr = document.createElement('tr');
    for (const text of [s.name, s.status, s.elapsedMs + ' ms', s.detail || '']) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  $('results').hidden = false;
}

// The provider says mail apps cannot connect (or only through a program on the user's computer).
function renderNoClientAccess(result) {
  const e = result.error;
  $('nca-provider').textContent = result.provider ? result.provider.name : result.domain;
  $('nca-reason').textContent = e.message;
  const link = $('nca-url');
  link.hidden = !(e.url && e.url.startsWith('https://'));
  if (!link.hidden) {
    link.href = e.url;
  }
  const bridge = e.bridge || [];
  $('nca-bridge').replaceChildren(...bridge.map((b) => {
    const li = document.createElement('li');
    li.textContent = b.protocol.toUpperCase() + ' ' + b.host + ':' + b.port + ' — ' + (SECURITY[b.security] || b.security);
    return li;
  }));
  $('nca-bridge-box').hidden = bridge.length === 0;
  const notes = result.provider ? result.provider.notes : [];
  $('nca-notes').replaceChildren(...notes.map((n) => {
    const li = document.createElement('li');
    li.textContent = n.text;
    return li;
  }));
  $('no-client-access').hidden = false;
}

async function lookup(event) {
  event.preventDefault();
  const email = $('email').value.trim();
  if (!email) {
    setStatus('Type your email address first.', 'error');
    return;
  }
  const verify = $('verify').checked;
  const services = $('services').checked;
  $('lookup').disabled = true;
  $('results').hidden = true;
  $('no-client-access').hidden = true;
  setStatus('Looking up the settings for ' + email + '…', 'busy');
  try {
    const url = 'v1/lookup?email=' + encodeURIComponent(email) + '&verify=' + verify
      + (services ? '&services=mail,contacts,calendars,jmap' : '');
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await response.json();
    if (!response.ok) {
      // RFC 9457 problem details: "detail" is written for people.
      const wait = response.headers.get('Retry-After');
      setStatus((body.detail || body.title || 'The lookup failed.') + (wait ? ' Try again in ' + wait + ' s.' : ''), 'error');
      return;
    }
    if (body.error && body.error.code === 'no-client-access') {
      setStatus('This provider does not let mail apps connect directly.', 'error');
      renderNoClientAccess(body);
      return;
    }
    if (body.error) {
      setStatus(body.error.message, 'error');
      return;
    }
    render(body, services);
    const verified = body.incoming.concat(body.outgoing).some((s) => s.verified);
    setStatus('Found in ' + body.elapsedMs + ' ms' + (verified ? '.' : ' (not verified).'), 'done');
  } catch (e) {
    setStatus('The lookup service could not be reached.', 'error');
  } finally {
    $('lookup').disabled = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('lookup-form').addEventListener('submit', lookup);
});
