{{/*
Shared named templates. Every per-service object (Deployment, Service, ServiceAccount,
ConfigMap, HPA, PDB, NetworkPolicy, ServiceMonitor) is rendered from these, once for each
enabled entry of .Values.services: there is no file per service.
*/}}

{{- define "portico.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "portico.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one service's objects: <fullname>-<service>. Args: root, name. */}}
{{- define "portico.componentName" -}}
{{- printf "%s-%s" (include "portico.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "portico.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object of the release carries, besides its selector labels. Arg: root. */}}
{{- define "portico.commonLabels" -}}
helm.sh/chart: {{ include "portico.chart" . }}
app.kubernetes.io/part-of: portico
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Labels of a release-wide object (one that belongs to no single service). Arg: root. */}}
{{- define "portico.releaseLabels" -}}
{{ include "portico.commonLabels" . }}
app.kubernetes.io/name: {{ include "portico.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels that select every pod of the release (the default-deny NetworkPolicy uses them). */}}
{{- define "portico.releaseSelectorLabels" -}}
app.kubernetes.io/part-of: portico
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector labels of one component. Args: root, name. */}}
{{- define "portico.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portico.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* All labels of one component. Args: root, name. */}}
{{- define "portico.labels" -}}
{{ include "portico.commonLabels" .root }}
{{ include "portico.selectorLabels" . }}
{{- end -}}

{{/*
Deep merge where the override always wins, false and 0 included (sprig's merge and
mergeOverwrite skip "empty" values, so `enabled: false` would be lost). Args: base, override.
Returns YAML; callers use fromYaml.
*/}}
{{- define "portico.deepMerge" -}}
{{- $base := deepCopy (default (dict) .base) -}}
{{- range $key, $value := .override -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $base $key)) -}}
{{- $_ := set $base $key (include "portico.deepMerge" (dict "base" (get $base $key) "override" $value) | fromYaml) -}}
{{- else -}}
{{- $_ := set $base $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $base -}}
{{- end -}}

{{/* A service's effective settings: serviceDefaults overlaid with its entry. Args: root, name. */}}
{{- define "portico.serviceConfig" -}}
{{- include "portico.deepMerge" (dict "base" .root.Values.serviceDefaults "override" (get .root.Values.services .name)) -}}
{{- end -}}

{{/* Names of the enabled services, sorted, one role check included. Arg: root. Returns a JSON list. */}}
{{- define "portico.enabledServices" -}}
{{- $names := list -}}
{{- $gateways := 0 -}}
{{- range $name := keys .Values.services | sortAlpha -}}
{{- $svc := get $.Values.services $name -}}
{{- if $svc.enabled -}}
{{- $names = append $names $name -}}
{{- if eq $svc.role "gateway" -}}{{- $gateways = add1 $gateways -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- if gt $gateways 1 -}}
{{- fail "services: at most one enabled service may have role: gateway" -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* Image reference of a Portico service. Args: root, name. */}}
{{- define "portico.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := printf "%s/%s" $img.repository .name -}}
{{- if $img.registry -}}{{- $repo = printf "%s/%s" $img.registry $repo -}}{{- end -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $repo $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* Environment variable prefix of a service: appointments -> APPOINTMENTS. */}}
{{- define "portico.envPrefix" -}}
{{- . | upper | replace "-" "_" -}}
{{- end -}}

{{/*
Plain (non-secret) environment of one service, as a YAML map: what its ConfigMap holds.
Args: root, name, cfg.
*/}}
{{- define "portico.configEnv" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- $env := dict "LOG_LEVEL" $root.Values.logLevel "METRICS_PORT" (toString (int $cfg.ports.metrics)) "OTEL_SERVICE_NAME" (printf "portico-%s" .name) "NODE_ENV" "production" -}}
{{- /* Processes bind 127.0.0.1 by default; in a pod, probes, Prometheus and peers come from outside. */ -}}
{{- $_ := set $env "METRICS_HOST" "0.0.0.0" -}}
{{- if eq $cfg.role "gateway" -}}
{{- $_ := set $env "HTTP_HOST" "0.0.0.0" -}}
{{- $_ := set $env "HTTP_PORT" (toString (int $cfg.ports.http)) -}}
{{- /* Behind the Ingress, X-Forwarded-For carries the client address (the NetworkPolicy admits only the controller). */ -}}
{{- $_ := set $env "TRUST_PROXY" (ternary "true" "false" $root.Values.ingress.enabled) -}}
{{- /* Login redirects and the __Host- session cookie are built from the address people use. */ -}}
{{- $_ := set $env "PUBLIC_URL" (printf "https://%s" $root.Values.ingress.host) -}}
{{- range $other := include "portico.enabledServices" $root | fromJsonArray -}}
{{- $o := include "portico.serviceConfig" (dict "root" $root "name" $other) | fromYaml -}}
{{- if eq $o.role "grpc" -}}
{{- $_ := set $env (printf "%s_GRPC_URL" (include "portico.envPrefix" $other)) (printf "%s:%d" (include "portico.componentName" (dict "root" $root "name" $other)) (int $o.ports.grpc)) -}}
{{- end -}}
{{- end -}}
{{- else -}}
{{- $_ := set $env "GRPC_HOST" "0.0.0.0" -}}
{{- $_ := set $env "GRPC_PORT" (toString (int $cfg.ports.grpc)) -}}
{{- /* Every other service's patient directory asks the auth service about patients it does not know yet. */ -}}
{{- if and (ne .name "auth") (has "auth" (include "portico.enabledServices" $root | fromJsonArray)) -}}
{{- $auth := include "portico.serviceConfig" (dict "root" $root "name" "auth") | fromYaml -}}
{{- $_ := set $env "AUTH_GRPC_URL" (printf "%s:%d" (include "portico.componentName" (dict "root" $root "name" "auth")) (int $auth.ports.grpc)) -}}
{{- end -}}
{{- /* Billing prints the primary coverage's member id on superbills. */ -}}
{{- if and (eq .name "billing") (has "insurance" (include "portico.enabledServices" $root | fromJsonArray)) -}}
{{- $insurance := include "portico.serviceConfig" (dict "root" $root "name" "insurance") | fromYaml -}}
{{- $_ := set $env "INSURANCE_GRPC_URL" (printf "%s:%d" (include "portico.componentName" (dict "root" $root "name" "insurance")) (int $insurance.ports.grpc)) -}}
{{- end -}}
{{- /* Documents checks that a release of information names one of the patient's contacts. */ -}}
{{- if and (eq .name "documents") (has "contacts" (include "portico.enabledServices" $root | fromJsonArray)) -}}
{{- $contacts := include "portico.serviceConfig" (dict "root" $root "name" "contacts") | fromYaml -}}
{{- $_ := set $env "CONTACTS_GRPC_URL" (printf "%s:%d" (include "portico.componentName" (dict "root" $root "name" "contacts")) (int $contacts.ports.grpc)) -}}
{{- end -}}
{{- end -}}
{{- if has "mongodb" $cfg.infrastructure -}}
{{- $_ := set $env "MONGO_DB" (default (printf "portico_%s" (.name | replace "-" "_")) $cfg.mongoDatabase) -}}
{{- end -}}
{{- if has "kafka" $cfg.infrastructure -}}
{{- $_ := set $env "KAFKA_BROKERS" $root.Values.kafka.brokers -}}
{{- end -}}
{{- if has "keycloak" $cfg.infrastructure -}}
{{- $_ := set $env "OIDC_ISSUER" $root.Values.keycloak.issuer -}}
{{- $_ := set $env "OIDC_AUDIENCE" $root.Values.keycloak.audience -}}
{{- if $root.Values.keycloak.jwksUrl -}}
{{- $_ := set $env "OIDC_JWKS_URL" $root.Values.keycloak.jwksUrl -}}
{{- end -}}
{{- end -}}
{{- if has "objectStore" $cfg.infrastructure -}}
{{- $_ := set $env "S3_ENDPOINT" $root.Values.objectStore.endpoint -}}
{{- $_ := set $env "S3_REGION" $root.Values.objectStore.region -}}
{{- $_ := set $env "S3_BUCKET" $root.Values.objectStore.bucket -}}
{{- end -}}
{{- if $root.Values.telemetry.otlpEndpoint -}}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" $root.Values.telemetry.otlpEndpoint -}}
{{- end -}}
{{- range $k, $v := $cfg.env -}}
{{- $_ := set $env $k (toString $v) -}}
{{- end -}}
{{- toYaml $env -}}
{{- end -}}

{{/*
Secret environment of one service: env entries with secretKeyRef, never values. Keys in the
Secret are named like the variables; those of optionalSecretEnv may be absent (the service then
does without what they enable). Args: root, name, cfg.
*/}}
{{- define "portico.secretEnv" -}}
{{- $root := .root -}}
{{- $cfg := .cfg -}}
{{- $secret := default (include "portico.componentName" (dict "root" $root "name" .name)) $cfg.existingSecret -}}
{{- range $key := $cfg.secretEnv }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- range $key := $cfg.optionalSecretEnv }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- if has "objectStore" $cfg.infrastructure }}
{{- range $key := list "S3_ACCESS_KEY" "S3_SECRET_KEY" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.objectStore.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- if has "smtp" $cfg.infrastructure }}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.smtp.existingSecret }}
      key: SMTP_URL
{{- end }}
{{- end -}}

{{/* The hardened pod securityContext shared by every pod of the chart. Arg: uid. */}}
{{- define "portico.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The hardened container securityContext shared by every container of the chart. Arg: uid. */}}
{{- define "portico.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
allowPrivilegeEscalation: false
privileged: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Egress rule to one kind of infrastructure. Arg: the infrastructure's networkPolicy values. */}}
{{- define "portico.egressRule" -}}
- ports:
    {{- toYaml .ports | nindent 4 }}
  {{- with .to }}
  to:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end -}}
