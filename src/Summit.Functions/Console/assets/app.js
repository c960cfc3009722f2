// The coordinator console: sign-in, the meetings of my tracks, a meeting's form, detail and history. Plain modules and
// DOM building (no innerHTML with data), hash routes: #/, #/new, #/meetings/{id}, #/meetings/{id}/edit, #/meetings/{id}/history,
// #/digest (the caller's own daily digest).
import { t, languages, initialLanguage, setLanguage, language, has } from './i18n.js';
import { signIn, completeSignIn, accessToken, signOut } from './auth.js';
import { api, ApiError, SignedOut } from './api.js';

const main = document.getElementById('main');
const state = { config: null, me: null, tracks: new Map(), notice: null };

/** An element with attributes (on* are listeners; false and null are left out) and children (strings become text). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  setTimeout(() => { status.textContent = text; }, 50);
}

function show(...content) {
  main.replaceChildren(...content.flat(Infinity).filter((part) => part !== null && part !== undefined && part !== false));
  main.setAttribute('aria-busy', 'false');
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

function trackName(id) {
  return state.tracks.get(id)?.names?.[language()] ?? state.tracks.get(id)?.name ?? id;
}

function when(instant, timeZone) {
  if (!instant) return '';
  const options = { dateStyle: 'medium', timeStyle: 'short' };
  if (timeZone) options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(language(), options).format(new Date(instant)) + (timeZone ? ` (${timeZone})` : '');
  } catch {
    return String(instant);
  }
}

function badge(kind, key) {
  return h('span', { class: `badge ${kind}` }, has(key) ? t(key) : kind);
}

function noticeBox() {
  if (!state.notice) return null;
  const box = h('p', { class: `notice ${state.notice.error ? 'error' : ''}`, role: state.notice.error ? 'alert' : 'status' }, state.notice.text);
  state.notice = null;
  return box;
}

function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('error.network');
    if (error.status === 403) return t('error.forbidden');
    if (error.status === 404) return t('error.notFound');
    return t('error.generic', { detail: error.message });
  }
  return t('error.generic', { detail: error?.message ?? String(error) });
}

async function guarded(work) {
  try {
    await work();
  } catch (error) {
    if (error instanceof SignedOut) {
      state.me = null;
      sessionStorage.removeItem('summit.token');
      renderChrome();
      return renderSignedOut(t('auth.expired'));
    }
    show(h('h1', {}, t('app.brand')), h('p', { class: 'notice error', role: 'alert' }, errorText(error)));
  }
}

// ---- Chrome: language picker, navigation, who is signed in ----

function renderChrome() {
  document.getElementById('skip').textContent = t('app.skip');
  document.getElementById('brand').textContent = t('app.brand');
  document.getElementById('lang-label').textContent = t('lang.label');
  const picker = document.getElementById('lang');
  picker.replaceChildren(...Object.entries(languages).map(([code, name]) => h('option', { value: code, lang: code, selected: code === language() }, name)));
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('app.brand'));
  const route = location.hash || '#/';
  nav.replaceChildren(...(state.me ? [
    h('a', { href: '#/', 'aria-current': route === '#/' || route.startsWith('#/?') ? 'page' : false }, t('nav.meetings')),
    canChangeAny() ? h('a', { href: '#/new', 'aria-current': route === '#/new' ? 'page' : false }, t('nav.new')) : null,
    canHaveDigest() ? h('a', { href: '#/digest', 'aria-current': route === '#/digest' ? 'page' : false }, t('nav.digest')) : null,
  ].filter(Boolean) : []));
  document.getElementById('who').textContent = state.me ? t('auth.signedInAs', { name: state.me.actor?.name || state.me.actor?.id }) : '';
  const out = document.getElementById('signout');
  out.textContent = t('auth.signOut');
  out.hidden = !state.me;
}

function canChangeAny() {
  return (state.me?.tracks ?? []).some((track) => track.canChange);
}

function canChange(trackId) {
  return (state.me?.tracks ?? []).some((track) => track.id === trackId && track.canChange);
}

// ---- Signed out ----

function renderSignedOut(message) {
  show(
    h('h1', {}, t('auth.welcome')),
    message ? h('p', { class: 'notice error', role: 'alert' }, message) : null,
    h('p', { class: 'lead' }, t('auth.intro')),
    state.config
      ? h('button', { type: 'button', id: 'signin', onclick: () => signIn(state.config).catch((e) => renderSignedOut(t('auth.failed', { reason: e.message }))) }, t('auth.signIn'))
      : h('p', { class: 'notice error', role: 'alert' }, t('auth.notConfigured')),
  );
}

// ---- Routes ----

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  return { parts: path.split('/').filter(Boolean), query: new URLSearchParams(query || '') };
}

async function route() {
  renderChrome();
  if (!state.me) return renderSignedOut();
  const { parts, query } = parseRoute();
  main.setAttribute('aria-busy', 'true');
  await guarded(async () => {
    if (parts.length === 0) return renderList(query);
    if (parts[0] === 'new') return renderForm(null);
    if (parts[0] === 'digest' && parts.length === 1) return renderDigest();
    if (parts[0] === 'meetings' && parts[1] && parts.length === 2) return renderDetail(parts[1]);
    if (parts[0] === 'meetings' && parts[1] && parts[2] === 'edit') return renderForm(parts[1]);
    if (parts[0] === 'meetings' && parts[1] && parts[2] === 'history') return renderHistory(parts[1]);
    location.hash = '#/';
  });
}

// ---- The list ----

async function renderList(query) {
  const filters = {
    track: query.get('track') || '',
    status: query.get('status') || '',
    from: query.get('from') || '',
    to: query.get('to') || '',
    undeliverable: query.get('undeliverable') === 'true',
  };
  const myTracks = state.me.tracks ?? [];
  const readsAll = myTracks.length >= state.tracks.size;
  // A coordinator of some tracks lists each of them; one who reads every track lists them in one go.
  const sources = filters.track ? [filters.track] : readsAll ? [''] : myTracks.map((track) => track.id);
  const tokens = new Map(sources.map((source) => [source, undefined]));
  const items = [];

  async function loadMore() {
    const pages = await Promise.all([...tokens].filter(([, token]) => token !== null).map(async ([source, token]) => {
      const params = new URLSearchParams({ pageSize: '50' });
      if (source) params.set('track', source);
      for (const name of ['status', 'from', 'to']) if (filters[name]) params.set(name, filters[name]);
      if (filters.undeliverable) params.set('undeliverable', 'true');
      if (token) params.set('continuationToken', token);
      const { data } = await api(`/meetings?${params}`);
      tokens.set(source, data.continuationToken || null);
      return data.items;
    }));
    items.push(...pages.flat());
    items.sort((a, b) => String(a.startUtc).localeCompare(String(b.startUtc)));
  }
  await loadMore();

  const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const form = h('form', { class: 'filters', 'aria-label': t('list.filters'), onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    const params = new URLSearchParams();
    for (const [name, value] of data) if (value) params.set(name, value);
    location.hash = `#/?${params}`;
  } },
  field('filter-track', t('list.track'), h('select', { id: 'filter-track', name: 'track' },
    h('option', { value: '' }, t('list.allTracks')),
    myTracks.map((track) => h('option', { value: track.id, selected: track.id === filters.track }, trackName(track.id))))),
  field('filter-status', t('list.status'), h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, t('list.anyStatus')),
    ['scheduled', 'cancelled', 'completed'].map((s) => h('option', { value: s, selected: s === filters.status }, t(`status.${s}`))))),
  field('filter-from', t('list.from'), h('input', { id: 'filter-from', name: 'from', type: 'date', value: filters.from })),
  field('filter-to', t('list.to'), h('input', { id: 'filter-to', name: 'to', type: 'date', value: filters.to })),
  h('div', { class: 'field check' }, h('input', { id: 'filter-undeliverable', name: 'undeliverable', type: 'checkbox', value: 'true', checked: filters.undeliverable }),
    h('label', { for: 'filter-undeliverable' }, t('list.undeliverable'))),
  h('div', { class: 'field' }, h('button', { type: 'submit' }, t('list.apply'))));

  const body = h('tbody');
  const count = h('p', { class: 'muted', id: 'list-count' });
  const more = h('button', { type: 'button', class: 'secondary', onclick: () => guarded(async () => { await loadMore(); fill(); }) }, t('list.more'));
  function fill() {
    body.replaceChildren(...items.map((m) => h('tr', { 'data-id': m.id },
      h('td', { 'data-label': t('col.title') }, h('a', { href: `#/meetings/${encodeURIComponent(m.id)}` }, m.title)),
      h('td', { 'data-label': t('col.track') }, trackName(m.track)),
      h('td', { 'data-label': t('col.start') }, when(m.startUtc, m.timeZone)),
      h('td', { 'data-label': t('col.status') }, badge(m.status, `status.${m.status}`)),
      h('td', { 'data-label': t('col.participants') }, String(m.participants)))));
    count.textContent = t('list.count', { count: items.length });
    more.hidden = ![...tokens.values()].some((token) => token);
  }
  fill();
  const table = h('table', { class: 'responsive' },
    h('caption', { class: 'visually-hidden' }, t('list.title')),
    h('thead', {}, h('tr', {}, ['col.title', 'col.track', 'col.start', 'col.status', 'col.participants'].map((key) => h('th', { scope: 'col' }, t(key))))),
    body);
  show(
    h('h1', {}, t('list.title')),
    noticeBox(),
    form,
    canChangeAny() ? h('p', {}, h('a', { class: 'button', href: '#/new' }, t('nav.new'))) : null,
    items.length ? [count, table] : h('p', { class: 'notice' }, t('list.empty')),
    more,
  );
}

// ---- The form ----

const defaultOffsets = 'P7D, P1D, PT2H';

function emptyModel() {
  const track = (state.me.tracks ?? []).find((x) => x.canChange)?.id ?? '';
  return {
    title: '', track, agenda: '', start: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Seoul', duration: 'PT1H',
    location: '', joinUrl: '', coordinator: { name: state.me.actor?.name ?? '', email: '', language: language() },
    participants: [{ name: '', email: '', timeZone: '', language: '' }], reminderOffsets: defaultOffsets, escalateBefore: '', calendarInvitations: true,
  };
}

function modelOf(meeting) {
  return {
    title: meeting.title, track: meeting.track, agenda: meeting.agenda ?? '', start: meeting.start?.slice(0, 16) ?? '', timeZone: meeting.timeZone,
    duration: meeting.duration ?? '', location: meeting.location ?? '', joinUrl: meeting.joinUrl ?? '',
    coordinator: { name: meeting.coordinator?.name ?? '', email: meeting.coordinator?.email ?? '', language: meeting.coordinator?.language ?? '' },
    participants: meeting.participants.map((p) => ({ name: p.name, email: p.email, timeZone: p.timeZone ?? '', language: p.language ?? '' })),
    reminderOffsets: meeting.reminderOffsets.join(', '), escalateBefore: meeting.escalateBefore ?? '', calendarInvitations: meeting.calendarInvitations,
  };
}

/**
 * The form fields' builder, shared by every form whose errors come from the API: each control is named by the API's
 * field path (data-field, which showErrors maps a problem's errors[].field to) and its hint's id is kept in hintIds so
 * that showErrors can restore aria-describedby after an error is fixed.
 */
function fieldMaker(hintIds) {
  return function input(path, label, attributes = {}, hint) {
    const id = `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
    const hintId = hint ? `${id}-hint` : null;
    if (hintId) hintIds.set(id, hintId);
    const control = attributes.tag === 'textarea'
      ? h('textarea', { id, name: path, 'data-field': path, 'aria-describedby': hintId }, attributes.value ?? '')
      : attributes.tag === 'select'
        ? h('select', { id, name: path, 'data-field': path, 'aria-describedby': hintId }, attributes.options)
        : h('input', { id, name: path, 'data-field': path, 'aria-describedby': hintId, type: 'text', ...attributes, tag: null, options: null });
    return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
  };
}

const zones = ['Asia/Seoul', 'Europe/Istanbul', 'Europe/Berlin', 'Europe/London', 'Europe/Brussels', 'America/New_York', 'UTC'];

async function renderForm(id) {
  let original = null;
  let etag = null;
  if (id) {
    const answer = await api(`/meetings/${encodeURIComponent(id)}`);
    original = answer.data;
    etag = answer.etag;
  }
  const model = original ? modelOf(original) : emptyModel();
  const changeable = (state.me.tracks ?? []).filter((track) => track.canChange || track.id === model.track);
  const hintIds = new Map();
  const input = fieldMaker(hintIds);
  const languageOptions = (selected) => [h('option', { value: '' }, t('form.languageNone')),
    ...Object.entries(languages).map(([code, name]) => h('option', { value: code, lang: code, selected: code === selected }, name))];

  const participants = h('fieldset', { 'data-field': 'participants', id: 'f-participants' }, h('legend', {}, t('form.participants')));
  const list = h('div');
  participants.append(list, h('button', { type: 'button', class: 'secondary', id: 'add-participant', onclick: () => {
    model.participants = readParticipants();
    model.participants.push({ name: '', email: '', timeZone: '', language: '' });
    drawParticipants();
    list.lastElementChild?.querySelector('input')?.focus();
  } }, t('form.addParticipant')));

  function readParticipants() {
    return [...list.children].map((_, i) => ({
      name: form.elements[`participants[${i}].name`].value,
      email: form.elements[`participants[${i}].email`].value,
      timeZone: form.elements[`participants[${i}].timeZone`].value,
      language: form.elements[`participants[${i}].language`].value,
    }));
  }

  function drawParticipants() {
    list.replaceChildren(...model.participants.map((p, i) => h('fieldset', { 'data-field': `participants[${i}]`, class: 'participant' },
      h('legend', {}, t('form.participant', { n: i + 1 })),
      h('div', { class: 'grid' },
        input(`participants[${i}].name`, t('field.name'), { value: p.name, autocomplete: 'off' }),
        input(`participants[${i}].email`, t('field.email'), { value: p.email, type: 'email', autocomplete: 'off' }),
        input(`participants[${i}].timeZone`, t('field.timeZone'), { value: p.timeZone, list: 'zones', autocomplete: 'off' }),
        input(`participants[${i}].language`, t('field.language'), { tag: 'select', options: languageOptions(p.language) })),
      model.participants.length > 1 ? h('button', { type: 'button', class: 'secondary', onclick: () => {
        model.participants = readParticipants();
        model.participants.splice(i, 1);
        drawParticipants();
        document.getElementById('add-participant').focus();
      } }, t('form.removeParticipant', { n: i + 1 })) : null)));
  }

  const errorSummary = h('div', { id: 'error-summary', tabindex: '-1', hidden: true });
  const form = h('form', { novalidate: true, id: 'meeting-form' },
    errorSummary,
    h('datalist', { id: 'zones' }, zones.map((zone) => h('option', { value: zone }))),
    h('div', { class: 'grid' },
      input('title', t('field.title'), { value: model.title, required: true }),
      input('track', t('field.track'), { tag: 'select', options: changeable.map((track) => h('option', { value: track.id, selected: track.id === model.track }, trackName(track.id))) }),
      input('start', t('field.start'), { type: 'datetime-local', value: model.start, required: true }),
      input('timeZone', t('field.timeZone'), { value: model.timeZone, list: 'zones', required: true }, t('form.timeZoneHint')),
      input('duration', t('field.duration'), { value: model.duration }, t('form.durationHint')),
      input('location', t('field.location'), { value: model.location }),
      input('joinUrl', t('field.joinUrl'), { value: model.joinUrl, type: 'url' })),
    input('agenda', t('field.agenda'), { tag: 'textarea', value: model.agenda }),
    h('fieldset', { 'data-field': 'coordinator' }, h('legend', {}, t('form.coordinator')),
      h('div', { class: 'grid' },
        input('coordinator.name', t('field.name'), { value: model.coordinator.name, autocomplete: 'name' }),
        input('coordinator.email', t('field.email'), { value: model.coordinator.email, type: 'email', autocomplete: 'email' }),
        input('coordinator.language', t('field.language'), { tag: 'select', options: languageOptions(model.coordinator.language) }))),
    participants,
    h('div', { class: 'grid' },
      input('reminderOffsets', t('field.reminderOffsets'), { value: model.reminderOffsets }, t('form.offsetsHint')),
      input('escalateBefore', t('field.escalateBefore'), { value: model.escalateBefore }, t('form.escalateHint'))),
    h('div', { class: 'field check' },
      h('input', { type: 'checkbox', id: 'f-calendarInvitations', name: 'calendarInvitations', 'data-field': 'calendarInvitations', checked: model.calendarInvitations }),
      h('label', { for: 'f-calendarInvitations' }, t('field.calendarInvitations'))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'save' }, original ? t('form.save') : t('form.create')),
      h('a', { href: original ? `#/meetings/${encodeURIComponent(id)}` : '#/' }, t('form.back'))));
  drawParticipants();

  function body() {
    const value = (name) => form.elements[name].value.trim();
    const optional = (name) => value(name) || undefined;
    const draft = {
      title: form.elements.title.value,
      track: value('track'),
      agenda: optional('agenda'),
      start: value('start'),
      timeZone: value('timeZone'),
      duration: optional('duration'),
      location: optional('location'),
      joinUrl: optional('joinUrl'),
      coordinator: { name: value('coordinator.name'), email: value('coordinator.email'), language: optional('coordinator.language') },
      participants: readParticipants().map((p) => {
        // What the form does not show (a participant's country or own send window) is kept from the meeting as it was.
        const kept = original?.participants.find((o) => o.email.toLowerCase() === p.email.trim().toLowerCase()) ?? {};
        return { ...(kept.country ? { country: kept.country } : {}), ...(kept.sendWindow ? { sendWindow: kept.sendWindow } : {}),
          name: p.name.trim(), email: p.email.trim(), timeZone: p.timeZone.trim() || undefined, language: p.language || undefined };
      }),
      reminderOffsets: value('reminderOffsets') ? value('reminderOffsets').split(/[\s,]+/).filter(Boolean) : undefined,
      escalateBefore: optional('escalateBefore'),
      calendarInvitations: form.elements.calendarInvitations.checked,
    };
    if (original) {
      for (const name of ['sendWindow', 'useSendGridTemplates']) if (original[name] !== null && original[name] !== undefined) draft[name] = original[name];
      for (const name of ['timeZone', 'country']) if (original.coordinator?.[name]) draft.coordinator[name] = original.coordinator[name];
    }
    return draft;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const save = document.getElementById('save');
    save.disabled = true;
    guarded(async () => {
      try {
        const answer = original
          ? await api(`/meetings/${encodeURIComponent(id)}`, { method: 'PUT', body: body(), headers: { 'If-Match': etag } })
          : await api('/meetings', { method: 'POST', body: body() });
        state.notice = { text: original ? t('form.saved') : t('form.created') };
        location.hash = `#/meetings/${encodeURIComponent(answer.data.id)}`;
      } catch (error) {
        save.disabled = false;
        if (error instanceof ApiError && error.status === 400 && error.fields.length) return showErrors(form, errorSummary, error.fields, hintIds);
        if (error instanceof ApiError && error.status === 412) return showErrors(form, errorSummary, [{ field: '', message: t('form.conflict') }], hintIds);
        if (error instanceof ApiError && error.status !== 401) return showErrors(form, errorSummary, [{ field: '', message: errorText(error) }], hintIds);
        throw error;
      }
    });
  });

  show(h('h1', {}, original ? `${t('form.editTitle')}: ${original.title}` : t('form.newTitle')), form);
}

/** The element a problem's field path names, or its nearest named parent: participants[1].sendWindow.end falls back to
 * participants[1].sendWindow, then participants[1]; reminderOffsets[2] to reminderOffsets. */
function targetOf(form, path) {
  let candidate = path;
  while (candidate) {
    const found = form.querySelector(`[data-field="${CSS.escape(candidate)}"]`);
    if (found) return found;
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    candidate = cut > 0 ? candidate.slice(0, cut) : '';
  }
  return null;
}

function labelOf(form, target, path) {
  if (target?.id) {
    const label = form.querySelector(`label[for="${CSS.escape(target.id)}"]`);
    // A participant's or the coordinator's field is named with its group: "Participant 2 — Email".
    const group = target.closest('fieldset')?.querySelector('legend')?.textContent;
    if (label) return group ? `${group} — ${label.textContent}` : label.textContent;
  }
  if (target?.tagName === 'FIELDSET') return target.querySelector('legend')?.textContent ?? path;
  return path;
}

function showErrors(form, summary, errors, hintIds) {
  for (const old of form.querySelectorAll('.field-error')) old.remove();
  for (const invalid of form.querySelectorAll('[aria-invalid]')) {
    invalid.removeAttribute('aria-invalid');
    const hint = hintIds.get(invalid.id);
    if (hint) invalid.setAttribute('aria-describedby', hint); else invalid.removeAttribute('aria-describedby');
  }
  const items = [];
  const targets = [];
  errors.forEach((error, i) => {
    const target = error.field ? targetOf(form, error.field) : null;
    const messageId = `error-${i}`;
    if (target) {
      const message = h('p', { class: 'field-error', id: messageId }, error.message);
      if (target.tagName === 'FIELDSET') target.querySelector('legend').after(message);
      else target.after(message);
      target.setAttribute('aria-invalid', 'true');
      target.setAttribute('aria-describedby', [target.getAttribute('aria-describedby'), messageId].filter(Boolean).join(' '));
      targets.push(target);
    }
    const label = labelOf(form, target, error.field);
    const focusable = target?.tagName === 'FIELDSET' ? target.querySelector('input, select, textarea') : target;
    items.push(h('li', {}, focusable
      ? h('a', { href: `#${focusable.id}`, onclick: (event) => { event.preventDefault(); focusable.focus(); } }, `${label}: ${error.message}`)
      : (error.field ? `${error.field}: ${error.message}` : error.message)));
  });
  summary.replaceChildren(
    h('h2', {}, t('form.errorsTitle')),
    h('p', {}, t('form.errorCount', { count: errors.length })),
    h('ul', {}, items));
  summary.className = 'summary-errors';
  summary.setAttribute('role', 'alert');
  summary.hidden = false;
  targets.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const first = targets[0];
  const focusable = first?.tagName === 'FIELDSET' ? first.querySelector('input, select, textarea') : first;
  (focusable ?? summary).focus();
}

// ---- A meeting ----

function deliveryText(item) {
  if (!item) return [t('detail.none')];
  const parts = [badge(item.state, `state.${item.state}`)];
  if (item.delivery?.status) parts.push(' ', badge(item.delivery.status, `delivery.${item.delivery.status}`));
  return parts;
}

async function renderDetail(id) {
  const { data: m, etag } = await api(`/meetings/${encodeURIComponent(id)}`);
  const changeable = canChange(m.track) && m.status === 'scheduled';
  const confirm = h('div', { class: 'confirm', id: 'cancel-confirm', hidden: true },
    h('p', {}, t('detail.cancelConfirm')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', id: 'cancel-yes', onclick: () => guarded(async () => {
        await api(`/meetings/${encodeURIComponent(id)}/cancel`, { method: 'POST', headers: { 'If-Match': etag } });
        state.notice = { text: t('detail.cancelled') };
        announce(t('detail.cancelled'));
        await renderDetail(id);
      }) }, t('detail.cancelYes')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { confirm.hidden = true; document.getElementById('cancel').focus(); } }, t('detail.cancelNo'))));

  const facts = [
    ['col.track', trackName(m.track)],
    ['col.start', when(m.startUtc, m.timeZone)],
    ['field.duration', m.duration],
    ['col.status', badge(m.status, `status.${m.status}`)],
    ['field.location', m.location || null],
    ['field.joinUrl', m.joinUrl ? h('a', { href: m.joinUrl, rel: 'noopener noreferrer' }, m.joinUrl) : null],
    ['form.coordinator', `${m.coordinator.name} <${m.coordinator.email}>`],
    ['field.reminderOffsets', m.reminderOffsets.join(', ')],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');

  const rows = m.participants.map((p) => {
    const notices = m.notices.filter((n) => n.recipientId === p.id);
    const reminders = m.reminders.filter((r) => r.participantId === p.id);
    const answer = m.responses.find((r) => r.participantId === p.id) ?? {};
    return h('tr', { 'data-participant': p.id },
      h('td', { 'data-label': t('field.name') }, h('strong', {}, p.name), h('br'), h('span', { class: 'muted' }, p.email)),
      h('td', { 'data-label': t('detail.invitation') }, notices.length ? h('ul', { class: 'plain' }, notices.map((n) => h('li', {},
        h('span', {}, has(`notice.${n.kind}`) ? t(`notice.${n.kind}`) : n.kind), ' ', deliveryText(n)))) : t('detail.none')),
      h('td', { 'data-label': t('detail.reminders') }, reminders.length ? h('ul', { class: 'plain' }, reminders.map((r) => h('li', {},
        h('span', { class: 'offset' }, r.offset), ' ', deliveryText(r), ' ',
        h('span', { class: 'muted' }, t('detail.reminderDue', { when: when(r.sendAt || r.dueAt, p.timeZone || m.timeZone) })),
        r.reason ? h('div', { class: 'muted' }, r.reason) : null))) : t('detail.none')),
      h('td', { 'data-label': t('detail.answer') },
        answer.acknowledged ? badge('acknowledged', 'detail.acknowledged') : h('span', { class: 'muted' }, t('detail.notAcknowledged')),
        answer.unsubscribed ? [' ', badge('unsubscribed', 'detail.unsubscribed')] : null,
        answer.undeliverable ? [' ', badge('undeliverable', 'detail.undeliverable')] : null));
  });

  show(
    h('h1', {}, m.title),
    noticeBox(),
    h('section', { 'aria-labelledby': 'summary-heading' },
      h('h2', { id: 'summary-heading', class: 'visually-hidden' }, t('detail.summary')),
      h('dl', { class: 'facts' }, facts.map(([key, value]) => [h('dt', {}, t(key)), h('dd', {}, value)]))),
    m.agenda ? h('p', { class: 'agenda' }, m.agenda) : null,
    h('div', { class: 'actions' },
      changeable ? h('a', { class: 'button', href: `#/meetings/${encodeURIComponent(id)}/edit`, id: 'edit' }, t('detail.edit')) : null,
      changeable ? h('button', { type: 'button', class: 'secondary', id: 'cancel', onclick: () => { confirm.hidden = false; document.getElementById('cancel-yes').focus(); } }, t('detail.cancel')) : null,
      h('a', { href: `#/meetings/${encodeURIComponent(id)}/history`, id: 'history' }, t('detail.history'))),
    confirm,
    canChange(m.track) ? null : h('p', { class: 'muted' }, t('detail.readOnly')),
    m.warnings?.length ? [h('h2', {}, t('detail.warnings')), h('ul', {}, m.warnings.map((w) => h('li', {}, w.message)))] : null,
    h('h2', {}, t('detail.participants')),
    h('table', { class: 'responsive', id: 'participants' },
      h('thead', {}, h('tr', {}, ['field.name', 'detail.invitation', 'detail.reminders', 'detail.answer'].map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, rows)),
  );
}

// ---- History ----

function actorText(actor) {
  if (actor.kind === 'user') return actor.name || actor.id;
  const key = `actor.${actor.kind}`;
  return has(key) ? t(key, { id: actor.id }) : `${actor.kind} ${actor.id}`;
}

async function renderHistory(id) {
  let title = id;
  try { title = (await api(`/meetings/${encodeURIComponent(id)}`)).data.title; } catch (error) { if (!(error instanceof ApiError)) throw error; }
  const entries = [];
  let token;
  async function load() {
    const params = new URLSearchParams({ pageSize: '50' });
    if (token) params.set('continuationToken', token);
    const { data } = await api(`/meetings/${encodeURIComponent(id)}/history?${params}`);
    entries.push(...data.entries);
    // The token is the last entry's id even on the last page: a short page is the end.
    token = data.entries.length < 50 ? null : data.continuationToken;
  }
  await load();
  const list = h('ol', { class: 'history', id: 'history-list' });
  const more = h('button', { type: 'button', class: 'secondary', onclick: () => guarded(async () => { await load(); fill(); }) }, t('list.more'));
  function fill() {
    list.replaceChildren(...entries.map((e) => h('li', { 'data-action': e.action },
      h('h2', {}, has(`action.${e.action}`) ? t(`action.${e.action}`) : e.action),
      h('p', { class: 'muted' }, when(e.at), ' · ', t('history.by', { actor: actorText(e.actor) }), e.confirmed ? null : [' · ', t('history.unconfirmed')]),
      e.changes.length ? h('table', {},
        h('thead', {}, h('tr', {}, ['history.field', 'history.old', 'history.new'].map((key) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', {}, e.changes.map((c) => h('tr', {},
          h('td', {}, has(`field.${c.field}`) ? t(`field.${c.field}`) : c.field),
          h('td', {}, (c.field === 'track' && c.old ? trackName(c.old) : c.old) ?? '—'),
          h('td', {}, (c.field === 'track' && c.new ? trackName(c.new) : c.new) ?? '—'))))) : null)));
    more.hidden = !token;
  }
  fill();
  show(
    h('h1', {}, t('history.of', { title })),
    h('p', {}, h('a', { href: `#/meetings/${encodeURIComponent(id)}` }, t('history.back'))),
    entries.length ? list : h('p', {}, t('history.empty')),
    more);
}

// ---- The daily digest ----

/** Whether GET /api/me lets the caller have a digest: it needs a role that sees a track (an operator alone gets 403). */
function canHaveDigest() {
  return (state.me?.tracks ?? []).length > 0;
}

/** The caller's digest as GET /api/me/digest has it, or null when not opted in (404). */
async function loadDigest() {
  try {
    return (await api('/me/digest')).data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function renderDigest() {
  if (!canHaveDigest()) {
    return show(h('h1', {}, t('digest.title')), h('p', { class: 'notice', id: 'digest-unavailable' }, t('digest.unavailable')));
  }
  let digest = await loadDigest();
  // A digest lapses 35 days after it was last saved (the roles it covers may have changed). Opening this page while the
  // roles still allow it saves it again as it is, when less than 30 days are left.
  if (digest && Date.parse(digest.renewBy) - Date.now() < 30 * 86400000) {
    try {
      const renewed = await api('/me/digest', { method: 'PUT', body: { email: digest.email, name: digest.name || undefined, language: digest.language, timeZone: digest.timeZone } });
      if (renewed.data) digest = renewed.data;
    } catch {
      // Shown as stored; saving the form tells what went wrong.
    }
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  // Opted in: the form shows what is planned, so saving without touching a field changes nothing. Not opted in: no address
  // (none is known for sure), the console's language and the browser's zone.
  const model = digest
    ? { email: digest.email ?? '', name: digest.name ?? '', language: digest.language, timeZone: digest.timeZone }
    : { email: '', name: state.me.actor?.name ?? '', language: language(), timeZone: browserZone };

  const status = digest
    ? h('section', { 'aria-labelledby': 'digest-status', class: 'digest-state' },
      h('h2', { id: 'digest-status' }, t('digest.optedIn')),
      h('dl', { class: 'facts', id: 'digest-facts' },
        h('dt', {}, t('digest.next')),
        h('dd', {}, h('time', { id: 'digest-next', datetime: new Date(digest.nextDigestAt).toISOString() }, when(digest.nextDigestAt, digest.timeZone))),
        h('dt', {}, t('digest.sentTo')), h('dd', {}, digest.email),
        h('dt', {}, t('digest.renewBy')),
        h('dd', {}, h('time', { id: 'digest-renew-by', datetime: new Date(digest.renewBy).toISOString() }, when(digest.renewBy, digest.timeZone)), ' ', t('digest.renewHint')),
        h('dt', {}, t('field.language')), h('dd', { lang: digest.language }, languages[digest.language] ?? digest.language),
        h('dt', {}, t('digest.tracks')),
        h('dd', {}, digest.tracks
          ? h('ul', { class: 'plain', id: 'digest-tracks' }, digest.tracks.map((id) => h('li', { 'data-track': id }, trackName(id))))
          : h('span', { id: 'digest-tracks' }, t('digest.everyTrack')))),
      h('p', { class: 'hint' }, t('digest.tracksHint')))
    : h('section', { 'aria-labelledby': 'digest-status', class: 'digest-state' },
      h('h2', { id: 'digest-status' }, t('digest.notOptedIn')));

  const hintIds = new Map();
  const input = fieldMaker(hintIds);
  const zoneChoices = zones.includes(model.timeZone) ? zones : [model.timeZone, ...zones];
  const errorSummary = h('div', { id: 'error-summary', tabindex: '-1', hidden: true });
  const form = h('form', { novalidate: true, id: 'digest-form', 'aria-labelledby': 'digest-form-heading' },
    h('h2', { id: 'digest-form-heading' }, digest ? t('digest.change') : t('digest.optInTitle')),
    errorSummary,
    h('datalist', { id: 'zones' }, zoneChoices.map((zone) => h('option', { value: zone }))),
    h('div', { class: 'grid' },
      input('email', t('field.email'), { value: model.email, type: 'email', autocomplete: 'email', required: true }),
      input('name', t('field.name'), { value: model.name, autocomplete: 'name' }, t('digest.nameHint')),
      input('language', t('digest.language'), { tag: 'select', options: Object.entries(languages).map(([code, name]) => h('option', { value: code, lang: code, selected: code === model.language }, name)) }),
      input('timeZone', t('field.timeZone'), { value: model.timeZone, list: 'zones', required: true }, t('form.timeZoneHint'))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'digest-save' }, digest ? t('digest.save') : t('digest.optIn'))));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const save = document.getElementById('digest-save');
    save.disabled = true;
    const value = (name) => form.elements[name].value.trim();
    guarded(async () => {
      try {
        await api('/me/digest', { method: 'PUT', body: { email: value('email'), name: value('name') || undefined, language: value('language'), timeZone: value('timeZone') } });
      } catch (error) {
        save.disabled = false;
        if (error instanceof ApiError && error.status === 400 && error.fields.length) return showErrors(form, errorSummary, error.fields, hintIds);
        if (error instanceof ApiError && error.status !== 401) return showErrors(form, errorSummary, [{ field: '', message: errorText(error) }], hintIds);
        throw error;
      }
      state.notice = { text: digest ? t('digest.saved') : t('digest.subscribed') };
      announce(state.notice.text);
      await renderDigest();
    });
  });

  const optOut = digest
    ? h('section', { 'aria-labelledby': 'digest-stop-heading' },
      h('h2', { id: 'digest-stop-heading' }, t('digest.stopTitle')),
      h('p', {}, t('digest.stopText')),
      h('button', { type: 'button', class: 'secondary', id: 'digest-stop', onclick: (event) => {
        event.target.disabled = true;
        guarded(async () => {
          try {
            await api('/me/digest', { method: 'DELETE' });
          } catch (error) {
            // Already gone (another tab, an erasure): what the button asked for is so.
            if (!(error instanceof ApiError && error.status === 404)) throw error;
          }
          state.notice = { text: t('digest.unsubscribed') };
          announce(state.notice.text);
          await renderDigest();
        });
      } }, t('digest.stop')))
    : null;

  show(
    h('h1', {}, t('digest.title')),
    noticeBox(),
    h('p', { class: 'lead' }, t('digest.intro')),
    status,
    form,
    optOut,
  );
}

// ---- Start ----

async function loadSession() {
  const [me, tracks] = await Promise.all([api('/me'), api('/tracks')]);
  state.me = me.data;
  state.tracks = new Map(tracks.data.map((track) => [track.id, track]));
}

async function start() {
  setLanguage(initialLanguage());
  document.getElementById('lang').addEventListener('change', (event) => {
    setLanguage(event.target.value);
    route();
  });
  document.getElementById('signout').addEventListener('click', async () => {
    state.me = null;
    if (await signOut(state.config)) return;
    renderChrome();
    renderSignedOut();
  });
  renderChrome();
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (response.ok) state.config = await response.json();
  } catch { /* shown as not configured */ }
  if (!state.config) return renderSignedOut();
  try {
    await completeSignIn(state.config);
  } catch (error) {
    return renderSignedOut(t('auth.failed', { reason: error.message }));
  }
  if (accessToken()) {
    try {
      await loadSession();
    } catch (error) {
      if (error instanceof SignedOut) return renderSignedOut(t('auth.expired'));
      return renderSignedOut(errorText(error));
    }
  }
  window.addEventListener('hashchange', route);
  await route();
}

start();
