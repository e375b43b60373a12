"""Drive a real Taguette (PyPI taguette 1.5.2) over HTTP on 127.0.0.1: start
it on a free port with a fresh database, log in with the token it prints,
create a project and the tags given, and save its REFI-QDA codebook export
(/project/N/export/codebook.qdc) to OUT.

    python3 tests/tools/taguette_codebook.py OUT.qdc TAG [TAG ...]

Only the standard library; used by tests/suite/qda.rs.
"""
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(out, tags):
    work = tempfile.mkdtemp()
    port = free_port()
    log = open(os.path.join(work, "log"), "w+")
    env = dict(os.environ, HOME=work)
    server = subprocess.Popen(
        ["taguette", "--no-browser", "-p", str(port), "-b", "127.0.0.1",
         "--database", os.path.join(work, "db.sqlite3")],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        base = "http://127.0.0.1:%d" % port
        token = None
        for _ in range(300):
            log.seek(0)
            found = re.search(r"token=([0-9a-f]+)", log.read())
            if found:
                token = found.group(1)
                break
            time.sleep(0.1)
        if token is None:
            sys.exit("taguette printed no login token")
        jar = http.cookiejar.CookieJar()
        web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                web.open("%s/?token=%s" % (base, token)).read()
                break
            except OSError:
                time.sleep(0.1)
        web.open(base + "/project/new").read()
        xsrf = next(c.value for c in jar if c.name == "_xsrf")
        form = urllib.parse.urlencode(
            {"_xsrf": xsrf, "name": "Study", "description": "A test"}).encode()
        page = web.open(base + "/project/new", data=form)
        project = re.search(r"/project/([0-9]+)", page.geturl()).group(1)
        for tag in tags:
            request = urllib.request.Request(
                "%s/api/project/%s/tag/new" % (base, project),
                data=json.dumps({"path": tag, "description": ""}).encode(),
                headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"})
            web.open(request).read()
        codebook = web.open(
            "%s/project/%s/export/codebook.qdc" % (base, project)).read()
        with open(out, "wb") as f:
            f.write(codebook)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
