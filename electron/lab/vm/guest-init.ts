/**
 * The guest's /init (busybox sh). It prints markers on the serial console, each with the guest's own
 * /proc/uptime, so the host timestamps them as they arrive and also knows the guest's view:
 *   ISOLAB-MARK init <uptime>    PID 1 runs (the kernel is done)
 *   ISOLAB-MARK ready <uptime>   modules loaded, network up, SSH server started
 *   ISOLAB-ERROR <what>          something the host should report
 * `isolab.mode=probe` on the kernel command line powers off right after the init marker (accelerator test).
 */
export const MARK = 'ISOLAB-MARK';
export const ERROR_MARK = 'ISOLAB-ERROR';
const GUEST_IP = '10.0.2.15';

export const GUEST_INIT = `#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
read up rest < /proc/uptime
echo "${MARK} init $up"
mode=run
virtio=pci
for a in $(cat /proc/cmdline); do
  case "$a" in
    isolab.mode=*) mode="\${a#isolab.mode=}" ;;
    isolab.virtio=*) virtio="\${a#isolab.virtio=}" ;;
  esac
done
if [ "$mode" = probe ]; then
  read up rest < /proc/uptime
  echo "${MARK} ready $up"
  poweroff -f
fi
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /tmp /run
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
while read m; do
  [ -n "$m" ] || continue
  insmod "/lib/modules/$m" || echo "${ERROR_MARK} insmod $m failed"
done < "/etc/isolab/modules.$virtio"
ip link set lo up
if ip link set eth0 up && ip addr add ${GUEST_IP}/24 dev eth0; then :; else echo "${ERROR_MARK} no eth0: virtio_net did not come up"; fi
/usr/sbin/dropbear -F -E -s -p 22 -r /etc/dropbear/host_key 2>/tmp/dropbear.log &
read up rest < /proc/uptime
echo "${MARK} ready $up"
while :; do sleep 3600; done
`;

export interface CmdlineOptions {
  /** The machine's virtio transport: which module list the init loads (pci when left out). */
  transport?: 'pci' | 'mmio';
  /** The guest's TSC rate in kHz (the host's, under TCG), so the kernel neither calibrates nor doubts it. */
  tscKhz?: number;
}

/** The kernel command line: serial console from the first instruction (earlyprintk), so the host sees the
 * kernel start when it happens rather than when the console driver replays its buffer; notices and worse
 * only; a panic powers the VM off (with -no-reboot) instead of hanging. */
export function kernelCmdline(mode: 'run' | 'probe', o: CmdlineOptions = {}): string {
  const args = [`console=ttyS0 earlyprintk=serial,ttyS0,115200 loglevel=6 panic=-1 isolab.mode=${mode} isolab.virtio=${o.transport ?? 'pci'}`];
  // Without a reference timer (microvm has no HPET or ACPI PM timer) a calibration that the host's load
  // disturbs leaves the kernel with no TSC, and it hangs: tsc_early_khz skips that calibration. Its clock
  // watchdog would then compare the TSC with jiffies, whose ticks a busy host delays, and fall back to
  // jiffies: tsc=reliable (meant for virtualized guests) keeps the TSC, which is the host's own counter.
  if (o.tscKhz !== undefined) args.push(`tsc_early_khz=${Math.round(o.tscKhz)} tsc=reliable`);
  return args.join(' ');
}
