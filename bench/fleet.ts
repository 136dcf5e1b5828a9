/**
 * The synth benchmark's fleet: instance `i` gets its own Container Linux Config (a user, a unit
 * and a file carrying the index), shared by the CoreOSInstance app and the raw baseline app.
 */

export const FLEET_ZONE = 'us-central1-c';
export const FLEET_MACHINE_TYPE = 'e2-small';
/** Flatcar, so that no instance carries the retired-CoreOS-image warning. */
export const FLEET_IMAGE = 'kinvolk-public/flatcar-stable';
export const FLEET_NETWORK = 'default';

export function fleetInstanceName(index: number): string {
  return `node-${index}`;
}

/** A typical small CLC, different for every index. */
export function fleetConfig(index: number): string {
  return `passwd:
  users:
    - name: user${index}
      groups:
        - sudo
        - docker
      ssh_authorized_keys:
        - "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench${String(index).padStart(6, '0')} user${index}@bench"
systemd:
  units:
    - name: hello-${index}.service
      enabled: true
      contents: |
        [Unit]
        Description=Hello from instance ${index}
        After=network-online.target

        [Service]
        Type=oneshot
        ExecStart=/usr/bin/echo "hello from ${index}"

        [Install]
        WantedBy=multi-user.target
storage:
  files:
    - path: /etc/hostname
      filesystem: root
      mode: 0644
      contents:
        inline: ${fleetInstanceName(index)}
`;
}
