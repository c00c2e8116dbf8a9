# Nchan (nginx with Debian's libnginx-mod-nchan) for the side-by-side benchmark. Sourced by
# bench/compare.sh after bench/common.sh, not run. Needs `nginx` and the module:
#   apt-get update && apt-get install -y nginx-light libnginx-mod-nchan
# (benchmarks only; not part of the build or CI).
#
# start_nchan: fills in bench/nchan/nginx.conf.template (a temp dir under $out for pid, logs and temp
# files; a free loopback port), starts nginx in the foreground (daemon off) pinned like Parkway, sets
# nchan_pid (the master), nchan_worker (the one worker) and nchan_port. Nothing under /etc/nginx is read.
# stop_nchan: stops the master (TERM, then KILL after 10 s) and so its worker. Callers stop it on EXIT.

nchan_pid=""
nchan_worker=""
nchan_port=""

nchan_available() {
  command -v nginx >/dev/null 2>&1 && [[ -f /usr/lib/nginx/modules/ngx_nchan_module.so ]]
}

# A loopback port nobody listens on, from 18400 up.
free_port() {
  local p
  for p in $(seq "${1:-18400}" $(( ${1:-18400} + 200 ))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

start_nchan() {
  local dir
  mkdir -p "$out/nchan"
  dir="$(cd "$out/nchan" && pwd)" # absolute: nginx reads relative paths against its prefix
  nchan_port="$(free_port 18400)" || { echo "$tool: no free port for nginx"; exit 2; }
  sed "s#@DIR@#$dir#g; s#@PORT@#$nchan_port#g" "$root/bench/nchan/nginx.conf.template" >"$dir/nginx.conf"
  rm -f "$dir/nginx.pid"
  "${server_pin[@]}" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/nginx.out" 2>&1 &
  nchan_pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$nchan_port") 2>/dev/null; then
      break
    fi
    kill -0 "$nchan_pid" 2>/dev/null || { echo "$tool: nginx died:"; cat "$dir/nginx.out" "$dir/error.log" 2>/dev/null || true; exit 2; }
    sleep 0.1
  done
  nchan_worker="$(pgrep -P "$nchan_pid" | head -1 || true)"
  [[ -n "$nchan_worker" ]] || { echo "$tool: nginx did not start a worker"; cat "$dir/error.log" 2>/dev/null || true; exit 2; }
  echo "$tool: Nchan $(nginx -v 2>&1 | sed 's/.*: //'), master $nchan_pid, worker $nchan_worker on 127.0.0.1:$nchan_port${server_pin[*]:+, ${server_pin[*]}}; config $dir/nginx.conf"
}

stop_nchan() {
  stop_pid "$nchan_pid" nginx
  # The worker exits with its master; make sure of it (only the pid we recorded).
  if [[ -n "$nchan_worker" ]] && kill -0 "$nchan_worker" 2>/dev/null; then
    kill -9 "$nchan_worker" 2>/dev/null || true
  fi
  nchan_pid=""
  nchan_worker=""
}
