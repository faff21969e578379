#!/usr/bin/env node
// The `studio` command: runs the bundled CLI under plain Node (build it first with `npm run build`).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'build', 'cli.cjs');
if (!fs.existsSync(cli)) {
  console.error('studio: build/cli.cjs is missing. Run `npm run build` in ' + path.dirname(__dirname) + ' first.');
  process.exit(2);
}
require(cli);
