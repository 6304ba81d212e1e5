// What the benches share: `--name N` options over defaults, and percentiles.
'use strict';

/** Whole-number options named after `defaults`' keys; an unknown or non-positive one is refused by name. */
function wholeNumberOptions(argv, defaults) {
  const opts = { ...defaults };
  const known = Object.keys(defaults).map((k) => `--${k} N`).join(', ');
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts)) throw new Error(`unknown option ${argv[i]} (known: ${known})`);
    opts[key] = Number(argv[i + 1]);
    if (!Number.isInteger(opts[key]) || opts[key] < 1) throw new Error(`--${key} must be a whole number >= 1`);
  }
  return opts;
}

/** The p-th percentile of an ascending array (nearest rank). */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

module.exports = { wholeNumberOptions, percentile };
