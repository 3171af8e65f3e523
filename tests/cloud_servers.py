"""Real storage servers on loopback for tests/test_storages_cloud.py: moto's S3 server (in a thread),
Azurite (a Node process from tests/azurite) and gcp-storage-emulator (in a thread). Each start_* returns
the endpoint and a function that stops the server."""
import json
import logging
import re
import shutil
import socket
import subprocess
import threading
import uuid
from pathlib import Path

import httpx

AZURITE = Path(__file__).parent / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's fixed development account (documented by Microsoft; not a secret).
AZURITE_ACCOUNT = "devstoreaccount1"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
MOTO_ACCOUNT = "123456789012"


def refusing_endpoint() -> tuple[str, socket.socket]:
    """An endpoint that refuses connections at once: a port we hold bound but never listen on, so no other
    server (another xdist worker's, say) can take it while the test uses it. Close the socket when done."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return f"http://127.0.0.1:{sock.getsockname()[1]}", sock


def start_moto() -> tuple[str, dict, callable]:
    """moto's S3 server, plus an IAM user whose keys pass when authentication is switched on (set_s3_auth)."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup",
                       aws_secret_access_key="setup")
    # moto's accounts live in the process: a second server in it (another test module) sees the first's users.
    user = f"labelhive-{uuid.uuid4().hex[:8]}"
    iam.create_user(UserName=user)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_user_policy(UserName=user, PolicyName="s3", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    keys = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
    return endpoint, keys, server.stop


def set_s3_auth(endpoint: str, on: bool) -> None:
    """moto checks signatures against its IAM users only when asked (it cannot check presigned URLs, so only
    the credential tests switch it on)."""
    httpx.post(f"{endpoint}/moto-api/reset-auth", content=b"0" if on else b"inf").raise_for_status()


def seed_s3(bucket: str, objects: dict[str, bytes]) -> None:
    """Many objects straight into moto's store: 10k PUTs over HTTP would take most of a minute."""
    from moto.s3.models import s3_backends

    backend = s3_backends[MOTO_ACCOUNT]["aws"]
    for key, body in objects.items():
        backend.put_object(bucket, key, body)


def start_azurite() -> tuple[str, callable]:
    if not AZURITE.exists():
        raise FileNotFoundError(f"{AZURITE} is missing: run `npm ci --prefix tests/azurite` (make test does).")
    if shutil.which("node") is None:
        raise FileNotFoundError("Azurite needs Node.js (node) on the PATH.")
    # Port 0: Azurite takes a free port itself and says which, so parallel workers never race for one.
    process = subprocess.Popen([str(AZURITE), "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--blobPort", "0",
                                "--skipApiVersionCheck", "--loose"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    for line in process.stdout:  # ends when Azurite exits
        lines.append(line)
        found = re.search(r"listens on (http://127\.0\.0\.1:\d+)", line)
        if found:
            break
    else:
        raise RuntimeError("Azurite did not start: " + "".join(lines)[-2000:])
    # Keep draining its output so a full pipe never blocks it.
    threading.Thread(target=process.stdout.read, daemon=True).start()

    def stop():
        process.kill()  # in memory: nothing to flush, and a graceful stop takes Azurite seconds
        process.wait()

    return f"{found.group(1)}/{AZURITE_ACCOUNT}", stop


def start_gcs() -> tuple[str, callable]:
    from gcp_storage_emulator.server import create_server

    logging.getLogger("gcp_storage_emulator").setLevel(logging.CRITICAL)
    server = create_server("127.0.0.1", 0, in_memory=True)
    server._api.daemon = True  # the emulator's thread must not keep pytest alive if a test run is interrupted
    server.start()
    return f"http://127.0.0.1:{server._api._httpd.server_address[1]}", server.stop


def service_account_json() -> str:
    """A service-account key of our own making: it signs URLs like a real one (the emulator does not check)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return json.dumps({"type": "service_account", "project_id": "labelhive-test", "private_key_id": "1",
                       "private_key": pem, "client_email": "labelhive@labelhive-test.iam.gserviceaccount.com",
                       "client_id": "1", "token_uri": "http://127.0.0.1:9/token"})
