// The API reference page: the whole API from /v1/openapi.json, or, for a signed-in member,
// one base's own reference (its tables as typed schemas) from
// /api/v1/bases/{baseId}/openapi.json, chosen with ?base=<id>. The session lives in this
// tab only (sessionStorage) and is sent to this origin only.

const SESSION = 'nc.docs.access_token';
const $ = (id) => document.getElementById(id);
const base = new URLSearchParams(location.search).get('base');

function show(problem) {
  $('problem').textContent = problem ?? '';
}

async function api(path, options = {}) {
  const token = sessionStorage.getItem(SESSION);
  const headers = { ...(options.body ? { 'content-type': 'application/json' } : {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { ...options, headers });
  const body = await response.json().catch(() => null);
  if (response.status === 401 && token) {
    sessionStorage.removeItem(SESSION);
  }
  if (!response.ok) {
    const error = body?.error;
    throw new Error(error ? `${error.message} (${error.code}, request ${body.request_id})` : `HTTP ${response.status}`);
  }
  return body;
}

async function listBases() {
  const workspaces = await api('/api/v1/workspaces');
  const select = $('bases').querySelector('select');
  for (const workspace of workspaces.data) {
    const bases = await api(`/api/v1/workspaces/${encodeURIComponent(workspace.id)}/bases`);
    for (const item of bases.data) {
      const option = new Option(`${workspace.name} / ${item.name}`, item.id, false, item.id === base);
      select.append(option);
    }
  }
  select.addEventListener('change', () => {
    const next = new URL(location.href);
    if (select.value) next.searchParams.set('base', select.value);
    else next.searchParams.delete('base');
    location.assign(next);
  });
  $('bases').hidden = false;
  $('sign-out').hidden = false;
}

async function reference() {
  const whole = { url: '/v1/openapi.json' };
  if (!base || !sessionStorage.getItem(SESSION)) return whole;
  try {
    const described = await api(`/api/v1/bases/${encodeURIComponent(base)}/openapi.json`);
    $('showing').textContent = `Base ${described.info?.title ?? base}`;
    return { spec: described };
  } catch (error) {
    show(`This base's reference could not be read: ${error.message}`);
    return whole;
  }
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const session = await api('/api/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    sessionStorage.setItem(SESSION, session.access_token);
    location.reload();
  } catch (error) {
    show(`Sign-in failed: ${error.message}`);
  }
});

$('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(SESSION);
  const next = new URL(location.href);
  next.searchParams.delete('base');
  location.assign(next);
});

if (sessionStorage.getItem(SESSION)) {
  listBases().catch((error) => {
    show(`Your bases could not be listed: ${error.message}`);
    $('sign-in').hidden = !!sessionStorage.getItem(SESSION);
  });
} else {
  $('sign-in').hidden = false;
}

// Swagger UI (swagger-ui-bundle.js, loaded before this module) renders the document; its
// "Authorize" button takes an API token for the records API, and a signed-in member's
// session is already set for the management API.
const ui = globalThis.SwaggerUIBundle({
  ...(await reference()),
  domNode: $('reference'),
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
  validatorUrl: null,
  onComplete: () => {
    const session = sessionStorage.getItem(SESSION);
    if (session) ui.preauthorizeApiKey('session', session);
  },
});

