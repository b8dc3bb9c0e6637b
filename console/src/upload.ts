// Uploads straight to the object store, by the presigned form `files:signUpload` answers.

import type { Schemas } from "@nclcdbaas/sdk";

type Form = Schemas["UploadForm"];

/** Posts `file` to the store with its presigned form (its fields, then the file), reporting the share sent. */
export function postUpload(form: Form, file: Blob, progress: (share: number) => void): Promise<void> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append("file", file);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", form.url);
    request.upload.onprogress = (event) => event.lengthComputable && progress(event.loaded / event.total);
    request.onload = () =>
      request.status < 300
        ? resolve()
        : reject(new Error(`The file store refused the upload (${request.status}); try again.`));
    request.onerror = () => reject(new Error("The upload did not reach the file store; check the connection and try again."));
    request.send(body);
  });
}
