{{- define "db.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag }}{{- end -}}
