// Start-up tasks of a route under 4x CPU slowdown: each top-level task over
// 30 ms and what ran in it (a served bundle: cargo run -p e2e --bin serve-dist 8093).
//   node scripts/profile/trace-start.js http://127.0.0.1:8093 /
// Needs puppeteer-core, which scripts/bench.sh installs with Lighthouse.
const puppeteer = require(require('path').join(__dirname, '../../.tools/node/node_modules/puppeteer-core'));
(async () => {
  const [base, route] = [process.argv[2], process.argv[3] || '/'];
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: 'new', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const cdp = await page.target().createCDPSession();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.tracing.start({ categories: ['devtools.timeline', 'v8.execute', 'v8', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.compile', 'blink.user_timing'] });
  await page.goto(base + route, { waitUntil: 'networkidle0' });
  await new Promise(r => setTimeout(r, 2500));
  const buf = await page.tracing.stop();
  await browser.close();
  const events = JSON.parse(Buffer.from(buf).toString("utf8")).traceEvents;
  const main = events.filter(e => e.name === 'RunTask' && e.dur > 30000);
  const byTid = {};
  for (const t of main) {
    const inside = events.filter(e => e.tid === t.tid && e.ts >= t.ts && e.ts + (e.dur || 0) <= t.ts + t.dur && e.dur && e !== t);
    const sums = {};
    for (const e of inside) { const k = e.name + (e.args && e.args.data && e.args.data.functionName ? ':' + e.args.data.functionName : '') + (e.args && e.args.data && e.args.data.url ? ' ' + e.args.data.url.split('/').pop().slice(0, 25) : ''); sums[k] = (sums[k] || 0) + e.dur; }
    const top = Object.entries(sums).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`);
    console.log(`task ${(t.dur / 1000).toFixed(1)} ms at ${((t.ts - main[0].ts) / 1000).toFixed(0)} tid ${t.tid}: ${top.join(' | ')}`);
  }
})();
