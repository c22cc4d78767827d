#!/usr/bin/env python3
"""Finishes the .deb that `tauri build` writes, in place, where its Debian bundler falls short of
what Debian expects (lintian): the long description wrapped at 79 columns; `Depends` from what
the binary really links (dpkg-shlibdeps, so libc6 and the exact GTK/WebKit libraries are named)
plus the configured ones; the changelog in /usr/share/doc/<package>/ (the bundler uses the
product name); a manual page; md5sums and Installed-Size recomputed; the payload compressed with
xz as Debian's own packages are (the bundler uses gzip).

    scripts/finish-deb.py FILE.deb MANPAGE
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import gzip


def run(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def parse_control(text):
    fields, order, key = {}, [], None
    for line in text.splitlines():
        if line.startswith((" ", "\t")) and key:
            fields[key] += "\n" + line
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
            order.append(key)
    return fields, order


def package_names(depends):
    """`a (>= 1), b | c` -> the first name of each alternative group, for de-duplication."""
    return {re.split(r"[\s(|]", part.strip(), maxsplit=1)[0] for part in depends.split(",") if part.strip()}


def main(deb, manpage):
    with tempfile.TemporaryDirectory() as work:
        root = os.path.join(work, "pkg")
        run("dpkg-deb", "-R", deb, root)
        control_path = os.path.join(root, "DEBIAN", "control")
        fields, order = parse_control(open(control_path).read())
        package = fields["Package"]

        # The changelog where Debian looks for it.
        doc = os.path.join(root, "usr/share/doc", package)
        os.makedirs(doc, exist_ok=True)
        for other in os.listdir(os.path.join(root, "usr/share/doc")):
            path = os.path.join(root, "usr/share/doc", other)
            if other != package and os.path.isdir(path):
                for name in os.listdir(path):
                    shutil.move(os.path.join(path, name), os.path.join(doc, name))
                os.rmdir(path)

        # The manual page, compressed without a timestamp.
        man = os.path.join(root, "usr/share/man/man1")
        os.makedirs(man, exist_ok=True)
        with open(manpage, "rb") as src, open(os.path.join(man, os.path.basename(manpage) + ".gz"), "wb") as out:
            with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
                gz.write(src.read())

        # Depends: what the binaries link (dpkg-shlibdeps), then what was configured besides.
        binaries = [os.path.join(root, "usr/bin", b) for b in sorted(os.listdir(os.path.join(root, "usr/bin")))]
        src = os.path.join(work, "src")
        os.makedirs(os.path.join(src, "debian"))
        with open(os.path.join(src, "debian", "control"), "w") as f:
            f.write(f"Source: {package}\n\nPackage: {package}\nArchitecture: any\n")
        out = run("dpkg-shlibdeps", "-O", *[f"-e{b}" for b in binaries], cwd=src)
        linked = next(l.split("=", 1)[1] for l in out.splitlines() if l.startswith("shlibs:Depends="))
        depends = [d.strip() for d in linked.split(",") if d.strip()]
        have = package_names(linked)
        for d in fields.get("Depends", "").split(","):
            if d.strip() and not (package_names(d) & have):
                depends.append(d.strip())
        fields["Depends"] = ", ".join(depends)

        # The long description wrapped; a lone "." would mark a blank line, none is needed.
        synopsis, *rest = fields["Description"].split("\n")
        long_text = " ".join(l.strip() for l in rest)
        fields["Description"] = synopsis + "".join("\n " + l for l in textwrap.wrap(long_text, 78))

        # Sizes and checksums of what is in the package now.
        total, sums = 0, []
        for d, _, files in os.walk(root):
            if os.path.relpath(d, root).split(os.sep)[0] == "DEBIAN":
                continue
            for name in sorted(files):
                path = os.path.join(d, name)
                total += os.path.getsize(path)
                sums.append(f"{hashlib.md5(open(path, 'rb').read()).hexdigest()}  {os.path.relpath(path, root)}\n")
        fields["Installed-Size"] = str((total + 1023) // 1024)
        with open(os.path.join(root, "DEBIAN", "md5sums"), "w") as f:
            f.writelines(sorted(sums, key=lambda s: s[34:]))
        with open(control_path, "w") as f:
            for key in order:
                f.write(f"{key}: {fields[key]}\n")

        for d, dirs, files in os.walk(root):
            for name in dirs:
                os.chmod(os.path.join(d, name), 0o755)
        run("dpkg-deb", "--root-owner-group", "-Zxz", "-z9", "--build", root, deb + ".new")
        os.replace(deb + ".new", deb)


if __name__ == "__main__":
    main(*sys.argv[1:3])
