/** The address arithmetic every renderer shares: the API and DNS service IPs of a service range. */
import { apiServiceIp, dnsServiceIp, nthAddress } from '../../constructs/kubernetes/cluster-settings';

test('the API service takes the range\'s first address and CoreDNS its tenth, as in Typhoon and kubeadm', () => {
  expect([apiServiceIp('10.3.0.0/16'), dnsServiceIp('10.3.0.0/16')]).toEqual(['10.3.0.1', '10.3.0.10']);
  expect([apiServiceIp('10.96.0.0/12'), dnsServiceIp('10.96.0.0/12')]).toEqual(['10.96.0.1', '10.96.0.10']);
  // A range written with host bits set counts from its network address.
  expect(nthAddress('192.168.1.77/24', 10)).toBe('192.168.1.10');
  expect(nthAddress('10.0.0.0/8', 65_536 + 1)).toBe('10.1.0.1');
});

test('refuses what is no IPv4 range, and an address the range does not have', () => {
  expect(() => nthAddress('10.3.0.0', 1)).toThrow('"10.3.0.0" is not an IPv4 CIDR such as 10.3.0.0/16');
  expect(() => nthAddress('10.300.0.0/16', 1)).toThrow('"10.300.0.0/16" is not an IPv4 CIDR');
  expect(() => nthAddress('10.3.0.0/33', 1)).toThrow('"10.3.0.0/33" is not an IPv4 CIDR');
  expect(() => nthAddress('10.3.0.0/29', 7)).toThrow('10.3.0.0/29 has no address number 7');
  expect(() => nthAddress('10.3.0.0/29', 0)).toThrow('10.3.0.0/29 has no address number 0');
});
