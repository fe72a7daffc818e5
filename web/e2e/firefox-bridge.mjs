// firefox-bridge drives Firefox ESR for the Go browser tests (web/engine_firefox_test.go).
//
// It launches one headless Firefox through puppeteer-core over WebDriver BiDi
// and then reads commands from stdin, one JSON object a line, answering each
// on stdout with one JSON line carrying the same id:
//
//   {"id":1,"cmd":"open","url":"http://127.0.0.1:…/","w":390,"h":844,"phone":true}
//        → {"id":1,"tab":1}   a fresh browser context (own storage) with one page
//   {"id":2,"cmd":"eval","tab":1,"expr":"document.title"}
//        → {"id":2,"json":"\"Earshot\""}   the script's completion value, awaited,
//          JSON.stringify'd (no "json" key when it is undefined)
//   {"id":3,"cmd":"screenshot","tab":1} → {"id":3,"png":"<base64>"}
//   {"id":4,"cmd":"close","tab":1}      → {"id":4}
//   {"id":5,"cmd":"quit"}               → {"id":5}, then Firefox and the bridge exit
//
// A failed command answers {"id":…,"error":"message"}. The first line written
// is {"ready":true,"version":"…"} once Firefox runs, or {"error":…} if it could
// not start. Commands run concurrently; answers may come out of order.
//
// Environment: FIREFOX (the executable, default /usr/bin/firefox-esr),
// PULSE_SERVER (the audio sink, passed on to Firefox).
import puppeteer from 'puppeteer-core';
import { createInterface } from 'node:readline';

const tabs = new Map(); // tab number → {context, page}
let nextTab = 1;

function send(msg) {
  process.stdout.write(JSON.stringify(msg) + '\n');
}

async function open(browser, { url, w, h, phone }) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.setViewport({ width: w, height: h, deviceScaleFactor: phone ? 3 : 1, isMobile: !!phone, hasTouch: !!phone });
    await page.goto(url, { waitUntil: 'load' });
    const tab = nextTab++;
    tabs.set(tab, { context, page });
    return { tab };
  } catch (e) {
    await context.close().catch(() => {});
    throw e;
  }
}

function tabOf(n) {
  const t = tabs.get(n);
  if (!t) throw new Error(`no tab ${n}`);
  return t;
}

async function run(browser, cmd) {
  switch (cmd.cmd) {
    case 'open':
      return open(browser, cmd);
    case 'eval': {
      // The text runs as a script (statements allowed, as in Chromium's
      // Runtime.evaluate): its completion value, awaited, is turned into
      // JSON in the page, so that Go gets what Chromium's returnByValue gives.
      const handle = await tabOf(cmd.tab).page.evaluateHandle(cmd.expr);
      try {
        const json = await handle.evaluate(v => v === undefined ? undefined : JSON.stringify(v));
        return json === undefined ? {} : { json };
      } finally {
        await handle.dispose().catch(() => {});
      }
    }
    case 'screenshot':
      return { png: await tabOf(cmd.tab).page.screenshot({ encoding: 'base64' }) };
    case 'close': {
      const t = tabOf(cmd.tab);
      tabs.delete(cmd.tab);
      await t.context.close();
      return {};
    }
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

async function main() {
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
      headless: true,
      env: process.env,
      extraPrefsFirefox: {
        'media.autoplay.default': 0,
        'media.autoplay.blocking_policy': 0,
      },
    });
  } catch (e) {
    send({ error: `launch Firefox: ${e.message}` });
    process.exit(1);
  }
  send({ ready: true, version: await browser.version() });
  const lines = createInterface({ input: process.stdin });
  let quitting = false;
  lines.on('line', line => {
    let cmd;
    try {
      cmd = JSON.parse(line);
    } catch (e) {
      send({ error: `bad command line: ${e.message}` });
      return;
    }
    if (cmd.cmd === 'quit') {
      quitting = true;
      browser.close().finally(() => { send({ id: cmd.id }); process.exit(0); });
      return;
    }
    run(browser, cmd).then(
      res => send({ id: cmd.id, ...res }),
      err => send({ id: cmd.id, error: String(err && err.message || err) }),
    );
  });
  // Go closing stdin (or dying) ends Firefox too.
  lines.on('close', () => {
    if (!quitting) browser.close().finally(() => process.exit(0));
  });
}

main();
