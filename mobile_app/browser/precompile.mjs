// Compile a zip of Python sources to bytecode with the browser's own Python (Pyodide in Node).
// Used by mobile_app/web_build.py at build time: the browser then imports .pyc files instead of
// compiling ~5 MB of source at every start. Usage: node precompile.mjs <pyodide dir> <in.zip> <out.zip>
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, inZip, outZip] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(pyodideDir + "/pyodide.mjs").href);
const py = await loadPyodide({ indexURL: pyodideDir + "/" });
py.FS.writeFile("/tmp/in.zip", fs.readFileSync(inZip));
py.runPython(`
import py_compile, zipfile
with zipfile.ZipFile("/tmp/in.zip") as src, zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_DEFLATED) as out:
    for info in src.infolist():
        data = src.read(info)
        if info.filename.endswith(".py"):
            path = "/tmp/src/" + info.filename
            import os
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            # Unchecked hash: no source timestamps are compared (the zip has none worth trusting).
            py_compile.compile(path, cfile=path + "c", dfile=info.filename, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
            with open(path + "c", "rb") as f:
                out.writestr(zipfile.ZipInfo(info.filename + "c", (1980, 1, 1, 0, 0, 0)), f.read())
`);
fs.writeFileSync(outZip, py.FS.readFile("/tmp/out.zip"));
