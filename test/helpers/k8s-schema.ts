// Validates a Kubernetes object against the Kubernetes API schemas (kubernetes-models).
export function validateKubernetesObject(obj: { apiVersion: string; kind: string }): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`kubernetes-models/${obj.apiVersion}`);
  const Model = mod[obj.kind];
  if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
  new Model(obj).validate();
}
