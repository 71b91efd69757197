// Checks mailsetup.yaml: every object against the Kubernetes API schemas (types, required fields, formats;
// kubernetes-models does not reject unknown fields), plus what this deployment promises.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";

const models = { v1: core, "apps/v1": apps, "policy/v1": policy };
const file = process.argv[2];
const problems = [];
const objects = [];
for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
  if (doc.errors.length) { problems.push(...doc.errors.map(e => `YAML: ${e.message}`)); continue; }
  const o = doc.toJS();
  if (!o) continue;
  const Model = models[o.apiVersion]?.[o.kind];
  if (!Model) { problems.push(`${o.apiVersion} ${o.kind}: not a kind this check knows`); continue; }
  try { new Model(o).validate(); } catch (e) { problems.push(`${o.kind} ${o.metadata?.name}: ${e.message}`); }
  objects.push(o);
}
const app = objects.find(o => o.kind === "Deployment" && o.metadata.name === "mailsetup");
if (!app) problems.push("no Deployment named mailsetup");
else {
  const c = app.spec.template.spec.containers[0];
  if (!(app.spec.replicas >= 2)) problems.push("the Deployment runs fewer than 2 replicas");
  if (c.readinessProbe?.httpGet?.path !== "/readyz") problems.push("the readiness probe is not GET /readyz");
  if (c.livenessProbe?.httpGet?.path !== "/healthz") problems.push("the liveness probe is not GET /healthz");
  if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problems.push("no resource requests");
  const config = objects.find(o => o.kind === "ConfigMap" && o.metadata.name === c.envFrom?.[0]?.configMapRef?.name);
  if (!config?.data?.MAILSETUP_REDIS_URL) problems.push("MAILSETUP_REDIS_URL is not configured");
  const selects = objects.some(o => o.kind === "Service" && o.spec.selector?.["app.kubernetes.io/name"]
      === app.spec.template.metadata.labels["app.kubernetes.io/name"]);
  if (!selects) problems.push("no Service selects the replicas");
}
if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
console.log(`${file}: ${objects.length} objects valid`);
