import { build } from "esbuild"; import { minify } from "terser"; import { gzipSync } from "node:zlib";
const r = await build({ entryPoints: ["tracker/src/pixel.ts"], bundle:true, minify:true, format:"iife", target:"es2019", platform:"browser", charset:"utf8", legalComments:"none", write:false, logLevel:"silent", tsconfigRaw:{} });
const g=async o=>{const js=(await minify(r.outputFiles[0].text,o)).code;return gzipSync(Buffer.from(js),{level:9}).length};
for (const [k,o] of Object.entries({
 base:{ecma:2019,compress:{passes:2}},
 p3:{ecma:2019,compress:{passes:3}},
 pg:{ecma:2019,compress:{passes:2,pure_getters:true}},
 arrows:{ecma:2019,compress:{passes:2,unsafe_arrows:true}},
 methods:{ecma:2019,compress:{passes:2,unsafe_methods:true}},
 comps:{ecma:2019,compress:{passes:2,unsafe_comps:true}},
 nosplit:{ecma:2019,compress:{passes:2,sequences:false}},
 nojoinvars:{ecma:2019,compress:{passes:2,join_vars:false}},
 noreduce:{ecma:2019,compress:{passes:2,reduce_funcs:false}},
 noinline:{ecma:2019,compress:{passes:2,inline:1}},
 mangle2:{ecma:2019,compress:{passes:2},mangle:{toplevel:true}},
 nocompress:{ecma:2019,compress:false},
})) console.log(k, await g(o));
// esbuild non-minified input
const r2 = await build({ entryPoints: ["tracker/src/pixel.ts"], bundle:true, minify:false, format:"iife", target:"es2019", platform:"browser", charset:"utf8", legalComments:"none", write:false, logLevel:"silent", tsconfigRaw:{} });
for (const o of [{ecma:2019,compress:{passes:2}},{ecma:2019,compress:{passes:3}}]) { const js=(await minify(r2.outputFiles[0].text,o)).code; console.log("fromUnminified", gzipSync(Buffer.from(js),{level:9}).length) }
