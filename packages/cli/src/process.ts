#!/usr/bin/env node
console.log('ketnap: not yet implemented')
