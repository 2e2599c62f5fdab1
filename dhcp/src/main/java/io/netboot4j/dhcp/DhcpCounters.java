package io.netboot4j.dhcp;

/**
 * What the embedded DHCP server has done since it started; a snapshot from
 * {@link EmbeddedDhcpServer#counters()}.
 *
 * @param received datagrams received on the cluster interface
 * @param malformed datagrams dropped because they are not well-formed DHCP/BOOTP requests
 *     (too short, truncated options, wrong hardware type, an option of the wrong length...)
 * @param ignored well-formed datagrams that need no answer from us: replies of other
 *     servers, requests addressed to another server, BOOTP while it is denied
 * @param unknownClients requests of machines that are not nodes (and no dynamic pool), dropped
 * @param offers DHCPOFFERs sent
 * @param acks DHCPACKs sent (including answers to DHCPINFORM)
 * @param naks DHCPNAKs sent
 * @param releases DHCPRELEASEs handled
 * @param declines DHCPDECLINEs handled
 * @param bootpReplies BOOTP replies sent (only when BOOTP is allowed)
 * @param sendErrors replies that could not be sent
 * @param internalErrors requests whose handling failed unexpectedly (logged; the server goes on)
 * @param rejected datagrams dropped before decoding, not counted above: shorter than a BOOTP
 *     header, not a request, not Ethernet, or over the request rate of their node (see
 *     {@code HeadBudget}) or of all unknown clients together
 */
public record DhcpCounters(long received, long malformed, long ignored, long unknownClients, long offers, long acks,
                           long naks, long releases, long declines, long bootpReplies, long sendErrors,
                           long internalErrors, long rejected) {

    /** The counters of the decoding engine, before any datagram was rejected ahead of it. */
    public DhcpCounters(long received, long malformed, long ignored, long unknownClients, long offers, long acks,
                        long naks, long releases, long declines, long bootpReplies, long sendErrors, long internalErrors) {
        this(received, malformed, ignored, unknownClients, offers, acks, naks, releases, declines, bootpReplies, sendErrors,
                internalErrors, 0);
    }

    /** A copy with {@link #rejected()} set. */
    public DhcpCounters withRejected(long count) {
        return new DhcpCounters(received, malformed, ignored, unknownClients, offers, acks, naks, releases, declines,
                bootpReplies, sendErrors, internalErrors, count);
    }

    /** Replies of every kind sent. */
    public long replies() {
        return offers + acks + naks + bootpReplies;
    }
}
