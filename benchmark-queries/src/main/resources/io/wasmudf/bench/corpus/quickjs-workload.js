function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
const out = [];
out.push(fib(20));
const a = [];
for (let i = 0; i < 20000; i++) a.push((i * 7919) % 10007);
a.sort((x, y) => x - y);
out.push(a[0], a[10000], a[19999]);
const m = new Map();
for (let i = 0; i < 5000; i++) m.set('k' + (i % 997), (m.get('k' + (i % 997)) || 0) + i);
out.push(m.size, m.get('k5'));
class P { constructor(x, y) { this.x = x; this.y = y; } len() { return Math.sqrt(this.x * this.x + this.y * this.y); } }
let s = 0;
for (let i = 0; i < 10000; i++) s += new P(i, i + 1).len();
out.push(Math.round(s));
out.push('The quick brown fox jumps over the lazy dog'.replace(/(\w+) (\w+)/g, '$2 $1'));
out.push(JSON.stringify(JSON.parse('{"a":[1,2,{"b":null}],"c":"x\u00e9"}')));
try { null.x; } catch (e) { out.push(e instanceof TypeError, e.message); }
out.join('|');
