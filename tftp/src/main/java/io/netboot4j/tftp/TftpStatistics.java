package io.netboot4j.tftp;

/**
 * Counters of a {@link TftpServer} since it started.
 *
 * @param requests read and write requests received (retransmitted duplicates excluded)
 * @param completed transfers that ended with the client's last acknowledgement
 * @param failed transfers that started and then failed (client error, silence, I/O error)
 * @param refused requests answered with an error (not found, access violation, bad mode, uploads off)
 * @param malformed datagrams dropped because they are not TFTP, or not what the socket expects
 * @param busy requests dropped because the bound on concurrent transfers, the source's transfer limit or
 *     the head's budget was reached (the client retransmits its request)
 * @param wrongTid packets from an unknown transfer ID, answered with error 5
 * @param retransmissions packets sent again after a timeout
 * @param bytesSent file bytes sent in DATA packets (retransmissions excluded)
 * @param active transfers running now
 * @param rejected datagrams dropped before decoding: their source is not a node (and unknown
 *     sources are refused) or asked faster than its request rate (see {@code HeadBudget})
 */
public record TftpStatistics(long requests, long completed, long failed, long refused, long malformed, long busy,
                             long wrongTid, long retransmissions, long bytesSent, int active, long rejected) {
}
