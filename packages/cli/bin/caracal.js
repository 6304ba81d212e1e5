#!/usr/bin/env node
'use strict';
// Exit explicitly: after a failed start, a client library may still hold a
// socket or timer open, and a command that printed its error must not hang.
require('../dist/main.js')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
