// The console's script, in a file of its own so its Content-Security-Policy needs no inline scripts.
// The key is exchanged for a short-lived token kept in this tab only; the key itself is not stored.
const text = (el, s) => document.getElementById(el).textContent = s;
const api = path => fetch(path, { headers: { Authorization: 'Bearer ' + (sessionStorage.getItem('token') || '') } })
  .then(r => r.json());
function load() {
  const body = document.getElementById('subs');
  body.replaceChildren();
  api('/v1/subscriptions').then(j => {
    if (j.status === 'error') { text('who', j.message); return; }
    for (const s of j.subscriptions) {
      const tr = document.createElement('tr');
      for (const v of [s.id, s.owner, s.eventTypes.join(', '), s.target.type, s.ordering, s.state]) {
        const td = document.createElement('td'); td.textContent = v; tr.appendChild(td);
      }
      body.appendChild(tr);
    }
  });
}
fetch('/health/ready').then(r => r.json()).then(j => text('health', JSON.stringify(j, null, 2)))
  .catch(e => text('health', String(e)));
document.getElementById('signin').addEventListener('submit', ev => {
  ev.preventDefault();
  fetch('/v1/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiKey: document.getElementById('apiKey').value }) })
    .then(r => r.json()).then(j => {
      document.getElementById('apiKey').value = '';
      if (j.accessToken) {
        sessionStorage.setItem('token', j.accessToken);
        text('who', 'signed in until ' + j.expiresAt);
        load();
      } else {
        text('who', j.message);
      }
    });
});
document.getElementById('find').addEventListener('submit', ev => {
  ev.preventDefault();
  const id = encodeURIComponent(document.getElementById('eventId').value);
  api('/v1/events/' + id).then(j => text('event', JSON.stringify(j, null, 2)));
});
if (sessionStorage.getItem('token')) { load(); }
