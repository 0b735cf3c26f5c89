# Source after connecting (gdb build/guest.elf -ex 'target remote build/husk.sock'
# -x scripts/husk.gdb): tells the monitor where the guest's `cpus` table is, so
# `info threads` names what runs on each CPU (supervisor or a shard).
python
import gdb
try:
    cpus = int(gdb.parse_and_eval("&cpus"))
    gdb.execute("monitor guest-cpus 0x%x" % cpus, to_string=True)
except gdb.error as e:
    print("husk.gdb: no `cpus` symbol, threads stay unnamed (%s)" % e)
end
