/**
 * The dashboard's one script, served at /assets/dashboard.js (same origin, so the CSP allows it
 * with 'self' and no inline code). Pages work without it; with it:
 *
 * - Live updates: a page whose <main> has `data-live="<JSON URL>"` polls that JSON every
 *   `data-live-every` ms with If-None-Match. A 304 costs nothing; a changed ETag means something
 *   moved, so the page is fetched again and each `[data-live-part]` region is swapped for the new
 *   one (never the filter form or the copy button, so typing and focus survive). Polling pauses
 *   while the tab is hidden and stops when the fresh page has no `data-live` (a finished run).
 * - Chart tooltips: a point's `data-tip` (date and value) shown at once on hover or focus.
 * - Filter forms: blank fields are left out of the URL, so a shared link says only what was asked.
 *
 * Plain ES2017, no build step: it is sent as written.
 */
export const CLIENT_SCRIPT = `'use strict';
(function () {
  var main = document.querySelector('main[data-live]');
  var etag = null;
  var timer = null;

  function every() {
    var n = Number(main && main.getAttribute('data-live-every'));
    return n > 0 ? n : 10000;
  }

  function schedule() {
    clearTimeout(timer);
    if (main && main.getAttribute('data-live')) timer = setTimeout(poll, every());
  }

  function swap(html) {
    // Marked so a layout-shift check can tell a live update from the page moving as it loads.
    performance.mark('live-swap');
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var fresh = doc.querySelector('main');
    if (!fresh) return;
    document.querySelectorAll('[data-live-part]').forEach(function (old) {
      var next = doc.getElementById(old.id);
      if (next) old.replaceWith(document.importNode(next, true));
    });
    var live = fresh.getAttribute('data-live');
    if (live) main.setAttribute('data-live', live);
    else main.removeAttribute('data-live');
    document.title = doc.title;
    takeTitles(document);
  }

  function poll() {
    if (document.hidden) return;
    var url = main.getAttribute('data-live');
    var headers = etag ? { 'If-None-Match': etag } : {};
    fetch(url, { headers: headers, cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        if (r.status === 304) return null;
        if (!r.ok) throw new Error('HTTP ' + r.status);
        var next = r.headers.get('ETag');
        if (next && next === etag) return null;
        etag = next;
        return fetch(location.href, { cache: 'no-store', credentials: 'same-origin' }).then(function (p) {
          if (!p.ok) throw new Error('HTTP ' + p.status);
          return p.text();
        });
      })
      .then(function (html) {
        if (html) swap(html);
      })
      .catch(function () {
        // A blip (deploy, network): try again on the next tick, quietly.
      })
      .then(schedule);
  }

  if (main) {
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) poll();
    });
    // The first answer is compared with nothing, so the page is drawn once more: whatever moved
    // between drawing it and that answer is not missed.
    schedule();
  }

  // Tooltips: one element, moved to the point under the pointer or the focused point.
  var tip = document.createElement('div');
  tip.className = 'tip';
  tip.setAttribute('role', 'tooltip');
  tip.id = 'chart-tip';
  tip.hidden = true;
  document.body.appendChild(tip);

  // The SVG <title> would show a second, slower tooltip over ours; keep its text in data-tip only.
  function takeTitles(root) {
    root.querySelectorAll('[data-tip] > title').forEach(function (t) {
      t.remove();
    });
  }
  takeTitles(document);

  function show(el) {
    tip.textContent = el.getAttribute('data-tip');
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var w = tip.offsetWidth;
    var left = Math.min(Math.max(4, r.left + r.width / 2 - w / 2 + window.scrollX), document.documentElement.clientWidth - w - 4 + window.scrollX);
    tip.style.left = left + 'px';
    tip.style.top = r.top + window.scrollY - tip.offsetHeight - 8 + 'px';
    el.setAttribute('aria-describedby', 'chart-tip');
  }
  function hide(el) {
    tip.hidden = true;
    if (el) el.removeAttribute('aria-describedby');
  }
  document.addEventListener('mouseover', function (e) {
    var el = e.target.closest && e.target.closest('[data-tip]');
    if (el) show(el);
    else if (!tip.hidden) hide(null);
  });
  document.addEventListener('focusin', function (e) {
    var el = e.target.closest && e.target.closest('[data-tip]');
    if (el) show(el);
  });
  document.addEventListener('focusout', function (e) {
    var el = e.target.closest && e.target.closest('[data-tip]');
    if (el) hide(el);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') hide(null);
  });

  // Filter forms: leave blank fields out of the query string.
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.matches('form[data-filters]')) return;
    form.querySelectorAll('input, select').forEach(function (f) {
      if (f.name && f.value.trim() === '') f.disabled = true;
    });
  });
  // Going back to a page whose form was submitted: fields disabled above are usable again.
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-filters] [disabled]').forEach(function (f) {
      f.disabled = false;
    });
  });
})();
`;
