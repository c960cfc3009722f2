// Sign-in: OAuth 2.0 authorization code with PKCE (S256, WebCrypto) against the authority in config.json, whose
// endpoints come from its OpenID Connect metadata. The access token lives in sessionStorage (this tab only, gone when
// it closes); nothing is kept in localStorage or cookies.
const TOKEN = 'summit.token';
const PENDING = 'summit.signin';

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(length) {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

/** The console's own address, registered as its redirect URI. */
export function redirectUri() {
  return `${location.origin}/console/`;
}

let metadataPromise;
async function metadata(config) {
  metadataPromise ??= fetch(`${config.authority}/.well-known/openid-configuration`).then((r) => {
    if (!r.ok) throw new Error(`metadata ${r.status}`);
    return r.json();
  });
  return metadataPromise;
}

/** Goes to the authority's sign-in page; the browser comes back to redirectUri() with a code. */
export async function signIn(config) {
  const meta = await metadata(config);
  const verifier = randomString(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: location.hash || '#/' }));
  const url = new URL(meta.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scopes.join(' '),
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * On the way back from the authority: exchanges the code for a token (checking the state first) and removes the code
 * from the address bar. Returns false when this page load is not a sign-in's return.
 */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname + (pending?.returnTo || '#/'));
  if (params.has('error')) throw new Error(params.get('error_description') || params.get('error'));
  if (!pending || params.get('state') !== pending.state) throw new Error('the answer does not belong to a sign-in started here (state)');
  const meta = await metadata(config);
  const response = await fetch(meta.token_endpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      code_verifier: pending.verifier,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
    }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) throw new Error(answer.error_description || answer.detail || answer.error || `token ${response.status}`);
  sessionStorage.setItem(TOKEN, JSON.stringify({ value: answer.access_token, expiresAt: Date.now() + (answer.expires_in || 3600) * 1000 }));
  return true;
}

/** The access token while it is valid (a minute's margin), else null. */
export function accessToken() {
  const token = JSON.parse(sessionStorage.getItem(TOKEN) || 'null');
  if (!token || token.expiresAt - 60000 < Date.now()) return null;
  return token.value;
}

export async function signOut(config) {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(PENDING);
  const meta = config ? await metadata(config).catch(() => null) : null;
  if (meta?.end_session_endpoint) {
    const url = new URL(meta.end_session_endpoint);
    url.searchParams.set('post_logout_redirect_uri', redirectUri());
    location.assign(url.toString());
    return true;
  }
  return false;
}
