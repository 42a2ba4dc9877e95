/** The page frame, shared bits (status pills, times, badge images) and the pages' security headers. */
import { createHash } from 'node:crypto';
import { raw } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { Child } from 'hono/jsx';
import { renderBadgeSvg, smokeBadge, statusBadge, type BadgeSpec } from '../../core/badge';
import { checkStatus } from '../../core/check-status';
import type { LatestRun } from '../../store/repos';
import { ago, utc, type Tone } from './format';

// Colours are GitHub's Primer palette; every text/background pair here is at least 4.5:1
// (checked in the browser tests).
const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
.wrap{max-width:1080px;margin:0 auto;padding:0 1rem 2rem}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem;z-index:1}
.top{background:#f6f8fa;border-bottom:1px solid #d0d7de}
.top nav{max-width:1080px;margin:0 auto;padding:0 1rem;display:flex;gap:1.25rem;align-items:center;min-height:48px;flex-wrap:wrap}
.top .brand{font-weight:700;color:#1f2328;text-decoration:none}
a{color:#0550ae}a:focus-visible,button:focus-visible{outline:2px solid #0969da;outline-offset:2px}
h1{font-size:1.5rem;line-height:1.25;margin:1.25rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:2rem 0 .75rem;padding-bottom:.3rem;border-bottom:1px solid #d8dee4}
h3{font-size:1rem;margin:1.25rem 0 .5rem}h4{font-size:.95rem;margin:1rem 0 .4rem}
p{margin:.5rem 0}
.muted{color:#57606a}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #d8dee4;padding:.45rem .6rem;text-align:left;vertical-align:middle;white-space:nowrap}
th{background:#f6f8fa;font-weight:600}
td.text{white-space:normal;min-width:12rem;overflow-wrap:break-word}
.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;margin:.5rem 0;border:1px solid #d8dee4;border-radius:6px;position:relative}
.scroll table{border:0}.scroll tr:last-child td{border-bottom:0}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:#eff2f5;padding:.1rem .3rem;border-radius:4px}
pre{background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;padding:.75rem;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
pre code{background:none;padding:0}
.pill{display:inline-block;padding:0 .55rem;border-radius:2rem;font-size:13px;font-weight:600;line-height:1.6;border:1px solid;white-space:nowrap}
.ok{color:#116329;background:#dafbe1;border-color:#4ac26b}
.bad{color:#a40e26;background:#ffebe9;border-color:#ff8182}
.running{color:#7d4e00;background:#fff8c5;border-color:#d4a72c}
.waiting{color:#424a53;background:#eaeef2;border-color:#afb8c1}
.neutral{color:#424a53;background:#f6f8fa;border-color:#d0d7de}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,320px),1fr));gap:1rem;padding:0;list-style:none}
.card{border:1px solid #d0d7de;border-radius:8px;padding:1rem}
.card h2{margin:0 0 .5rem;border:0;padding:0;font-size:1.1rem;overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.4rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:.75rem 0}
dl.facts dt{color:#57606a}dl.facts dd{margin:0;overflow-wrap:anywhere}
svg.chart{display:block;max-width:100%;height:auto}
svg.spark{display:inline-block;vertical-align:middle}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,480px),1fr));gap:0 1.5rem}
figure{margin:0}figcaption{color:#57606a;font-size:13px}
.snippet{display:flex;gap:.5rem;align-items:flex-start;flex-wrap:wrap}
.snippet pre{flex:1 1 20rem;margin:0}
button{font:inherit;font-size:14px;font-weight:600;padding:.35rem .9rem;border-radius:6px;border:1px solid #1f883d;background:#1f883d;color:#fff;cursor:pointer;min-height:36px}
.smoke-summary{border:1px solid #d8dee4;border-radius:6px;padding:0 1rem .5rem;overflow-wrap:anywhere}
blockquote{margin:.5rem 0;padding:0 .75rem;border-left:4px solid #d0d7de;color:#424a53}
.more{margin:1rem 0}
.wrap.wide{max-width:1680px}.top nav.wide{max-width:1680px}
.tip{position:absolute;z-index:2;max-width:min(90vw,24rem);background:#1f2328;color:#fff;font-size:13px;padding:.3rem .55rem;border-radius:6px;pointer-events:none;white-space:nowrap}
circle.point{cursor:pointer}circle.point:focus{outline:none;stroke:#1f2328;stroke-width:2}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.5rem 0 1rem}
form.filters .field{display:flex;flex-direction:column;gap:.15rem}form.filters label{font-size:13px;color:#57606a}
form.filters input,form.filters select{font:inherit;font-size:14px;color:#1f2328;padding:.3rem .45rem;border:1px solid #8c959f;border-radius:6px;min-height:36px;background:#fff;width:10rem}
form.filters input.short{width:6rem}
.live-note{font-size:13px}
img.badge{vertical-align:middle}
@media (max-width:600px){body{font-size:14px}h1{font-size:1.3rem}.wrap{padding:0 .75rem 2rem}th,td{padding:.4rem .45rem}}
`;

/**
 * The copy button's script: copies the element named by `data-copy` and says so in the button and
 * in a live region (screen readers hear "Copied"). Inline, allowed by its hash in the CSP.
 */
const COPY_SCRIPT = `document.addEventListener('click',function(e){var b=e.target.closest('button[data-copy]');if(!b)return;var t=document.getElementById(b.getAttribute('data-copy'));var s=document.getElementById(b.getAttribute('data-status'));var label=b.getAttribute('data-label');function say(m){b.textContent=m;if(s)s.textContent=m;setTimeout(function(){b.textContent=label;if(s)s.textContent='';},2000);}navigator.clipboard.writeText(t.textContent).then(function(){say('Copied');},function(){say('Copy failed: select the text');});});`;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The CSP source of the Layout's stylesheet, for pages that set their own policy. */
export const STYLE_SRC = sha256(STYLE);

/** Pages load nothing from elsewhere; the one inline script and the stylesheet are pinned by hash (no 'unsafe-inline'). */
export const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    // 'self': the dashboard script (/assets/dashboard.js); the copy button's inline script by hash.
    scriptSrc: ["'self'", sha256(COPY_SCRIPT)],
    // The script polls the JSON API of the same origin.
    connectSrc: ["'self'"],
    styleSrc: [sha256(STYLE)],
    imgSrc: ["'self'", 'data:'],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'same-origin',
});

/** Where a page polls for changes (client-script.ts) and how often; absent: the page is static. */
export interface Live {
  url: string;
  everyMs: number;
}

export const DASHBOARD_SCRIPT_PATH = '/assets/dashboard.js';

/**
 * `dashboard`: load the dashboard script (live updates, chart tooltips, filter forms). Pages served
 * with `pageHeaders` may; a page with its own CSP (the local registration pages) does not get it
 * unless it asks. A page with `live` always loads it.
 */
export function Layout(props: { title: string; children: Child; script?: boolean; live?: Live | null; wide?: boolean; dashboard?: boolean }) {
  return (
    <>
      {/* Standards mode: without a doctype the browser lays the page out in quirks mode. */}
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <title>{props.title}</title>
          {/* No favicon request: the browser would otherwise ask for /favicon.ico and get a 404. */}
          <link rel="icon" href="data:," />
          <style dangerouslySetInnerHTML={{ __html: STYLE }} />
          {/* Nothing is drawn until the whole of <main> is parsed: on a slow or busy device the browser
              would otherwise paint half a table, then widen its columns as the rest arrived. Raw, as
              hono's JSX drops `blocking` from a <link>. */}
          {raw('<link rel="expect" href="#main-end" blocking="render">')}
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <nav aria-label="Dashboard" class={props.wide ? 'wide' : undefined}>
              <a class="brand" href="/">
                arm64 CI
              </a>
              <a href="/">Repositories</a>
              <a href="/runners">Runners</a>
            </nav>
          </header>
          <main
            id="main"
            class={props.wide ? 'wrap wide' : 'wrap'}
            data-live={props.live?.url}
            data-live-every={props.live ? String(props.live.everyMs) : undefined}
          >
            {props.children}
            <span id="main-end" hidden></span>
          </main>
          {props.script ? <script dangerouslySetInnerHTML={{ __html: COPY_SCRIPT }} /> : null}
          {props.live || props.dashboard ? <script src={DASHBOARD_SCRIPT_PATH} defer></script> : null}
        </body>
      </html>
    </>
  );
}

/** The same page for an unknown repository or run and for a private one without its token. */
export function NotFound() {
  return (
    <Layout title="Not found · arm64 CI">
      <h1>Not found</h1>
      <p>
        There is no repository or run here, or it is private. <a href="/">See all repositories</a>.
      </p>
    </Layout>
  );
}

/** A filter value that cannot be one (core/run-filter.ts): what was wrong, and the way back. */
export function BadFilter(props: { message: string; back: string }) {
  return (
    <Layout title="Bad filter · arm64 CI">
      <h1>Bad filter</h1>
      <p>
        The filter in this address cannot match a run: <strong>{props.message}</strong>.
      </p>
      <p>
        <a href={props.back}>Show all runs</a>
      </p>
    </Layout>
  );
}

export function Pill(props: { status: { word: string; tone: Tone } }) {
  return <span class={`pill ${props.status.tone}`}>{props.status.word}</span>;
}

export function Time(props: { iso: string | null | undefined; now: Date }) {
  if (!props.iso) return <span class="muted">—</span>;
  return (
    <time datetime={props.iso} title={utc(props.iso)}>
      {ago(props.iso, props.now)}
    </time>
  );
}

/** A badge image with its exact size, so nothing moves when it loads. */
export function BadgeImg(props: { src: string; spec: BadgeSpec; alt: string }) {
  const svg = renderBadgeSvg(props.spec);
  const width = Number(/width="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? 100);
  return <img class="badge" src={props.src} width={width} height={20} alt={props.alt} />;
}

/** What the status and smoke badges say for a branch's newest run (as src/http/badges.ts reads it). */
export const statusSpec = (latest: LatestRun | null) =>
  statusBadge(latest ? { status: checkStatus(latest.state), conclusion: latest.conclusion } : null);
export const smokeSpec = (latest: LatestRun | null) =>
  smokeBadge(latest?.smoke ? { passed: latest.smoke.passed, total: latest.smoke.total - latest.smoke.skipped } : null);

/** Labels or matrix values as code chips, with spaces between them so they wrap and read apart. */
export function Chips(props: { items: string[] }) {
  return (
    <>
      {props.items.map((l, i) => (
        <>
          {i > 0 ? ' ' : null}
          <code>{l}</code>
        </>
      ))}
    </>
  );
}

/** A long identifier (test_basic_api_availability, pkg.module::Class) that may wrap after _ . : / and nowhere else. */
export function Breakable(props: { text: string }) {
  const parts = props.text.split(/(?<=[_.:/])/);
  return (
    <>
      {parts.map((p, i) => (
        <>
          {i > 0 ? <wbr /> : null}
          {p}
        </>
      ))}
    </>
  );
}
