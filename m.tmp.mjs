import { build } from "esbuild"; import { minify } from "terser"; import { gzipSync } from "node:zlib";
const r = await build({ entryPoints: ["tracker/src/pixel.ts"], bundle:true, minify:true, format:"iife", target:"es2019", platform:"browser", charset:"utf8", legalComments:"none", write:false, logLevel:"silent", tsconfigRaw:{} });
const js = (await minify(r.outputFiles[0].text,{ecma:2019,compress:{passes:2}})).code;
console.log(gzipSync(Buffer.from(js),{level:9}).length, js.length);
if (process.argv[2]) console.log(js);
