// Builds assets/reference/divisions.json (GB/T 2260 three-level divisions) from the npm package
// @vant/area-data (MIT). Reproduce:
//   cd /tmp && npm pack @vant/area-data@2.1.0 && tar xzf vant-area-data-2.1.0.tgz
//   node scripts/data/divisions.mjs /tmp/package/dist/index.cjs > assets/reference/divisions.json
// Development zones, which the package lists as counties but GB/T 2260 does not contain
// (county part 70-79 or 90, e.g. 130171 石家庄高新技术产业开发区), are dropped, as are codes
// outside the country (first digit 9).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = process.argv[2];
if (!source) {
  console.error('usage: node scripts/data/divisions.mjs <path to @vant/area-data dist/index.cjs>');
  process.exit(2);
}
const { areaList } = require(source);
const isDevelopmentZone = (code) => {
  const county = Number(code.slice(4));
  return code.slice(4) !== '00' && ((county >= 70 && county <= 79) || county === 90);
};
const entries = [];
let dropped = 0;
for (const list of ['province_list', 'city_list', 'county_list']) {
  for (const [code, name] of Object.entries(areaList[list])) {
    if (!/^[1-8]\d{5}$/.test(code) || isDevelopmentZone(code)) {
      dropped += 1;
      continue;
    }
    entries.push([code, name]);
  }
}
entries.sort((a, b) => a[0].localeCompare(b[0]));
const out = {
  source: 'npm @vant/area-data 2.1.0 (MIT), development zones removed',
  standard: 'GB/T 2260',
  divisions: Object.fromEntries(entries),
};
process.stdout.write(JSON.stringify(out, null, 0).replace(/","/g, '",\n"') + '\n');
console.error(`${entries.length} divisions kept, ${dropped} dropped`);
