//! The reader's own status byte (SW3) and what each value means for the person at the kiosk.
//!
//! The values come from the readers' published interface descriptions (the "SAM" module
//! protocol of the Ministry of Public Security's first research institute, reproduced by the
//! reader vendors): `90` success, `9F` card found, `91` no content for this item; failures
//! `10` `11` `21` `23` `24` `31` `32` `33` `40` `41` `47` `60` `66` `80` `81`.

/// What SW3 says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReaderStatus {
    /// `90`: the command succeeded.
    Success,
    /// `9F`: find card succeeded, a card lies on the reader.
    CardFound,
    /// `91`: the card holds nothing for this item (e.g. no fingerprints).
    NoContent,
    /// `10`: the reader received a frame with a bad checksum from the kiosk.
    HostChecksum,
    /// `11`: the reader received a frame with a wrong length from the kiosk.
    HostLength,
    /// `21`: the reader refused the command (wrong values or order).
    CommandRefused,
    /// `23`: operation not permitted (越权操作).
    NotPermitted,
    /// `24`: an error the reader could not identify.
    Unidentified,
    /// `31`: the card did not accept the reader (card authenticates the SAM).
    CardRejectedReader,
    /// `32`: the reader did not accept the card (SAM authenticates the card).
    ReaderRejectedCard,
    /// `33`: information verification failed.
    VerificationFailed,
    /// `40`: not an identity card (wrong card type).
    WrongCard,
    /// `41`: reading the card failed (usually moved during the read).
    ReadFailed,
    /// `47`: getting a random number from the card failed.
    RandomFailed,
    /// `60`: the reader's self-test failed; it accepts no command.
    SelfTestFailed,
    /// `66`: the reader is not authorised and cannot be used.
    NotAuthorised,
    /// `80`: find card failed: no card on the reader.
    NoCard,
    /// `81`: select card failed (the card left the field).
    SelectFailed,
    /// Any other value.
    Other(u8),
}

impl ReaderStatus {
    /// Every named status, for tests and documentation.
    pub const NAMED: [Self; 18] = [
        Self::Success,
        Self::CardFound,
        Self::NoContent,
        Self::HostChecksum,
        Self::HostLength,
        Self::CommandRefused,
        Self::NotPermitted,
        Self::Unidentified,
        Self::CardRejectedReader,
        Self::ReaderRejectedCard,
        Self::VerificationFailed,
        Self::WrongCard,
        Self::ReadFailed,
        Self::RandomFailed,
        Self::SelfTestFailed,
        Self::NotAuthorised,
        Self::NoCard,
        Self::SelectFailed,
    ];

    /// The status for SW3 `byte`.
    pub fn from_sw3(byte: u8) -> Self {
        match byte {
            0x90 => Self::Success,
            0x9F => Self::CardFound,
            0x91 => Self::NoContent,
            0x10 => Self::HostChecksum,
            0x11 => Self::HostLength,
            0x21 => Self::CommandRefused,
            0x23 => Self::NotPermitted,
            0x24 => Self::Unidentified,
            0x31 => Self::CardRejectedReader,
            0x32 => Self::ReaderRejectedCard,
            0x33 => Self::VerificationFailed,
            0x40 => Self::WrongCard,
            0x41 => Self::ReadFailed,
            0x47 => Self::RandomFailed,
            0x60 => Self::SelfTestFailed,
            0x66 => Self::NotAuthorised,
            0x80 => Self::NoCard,
            0x81 => Self::SelectFailed,
            other => Self::Other(other),
        }
    }

    /// The SW3 byte.
    pub fn sw3(self) -> u8 {
        match self {
            Self::Success => 0x90,
            Self::CardFound => 0x9F,
            Self::NoContent => 0x91,
            Self::HostChecksum => 0x10,
            Self::HostLength => 0x11,
            Self::CommandRefused => 0x21,
            Self::NotPermitted => 0x23,
            Self::Unidentified => 0x24,
            Self::CardRejectedReader => 0x31,
            Self::ReaderRejectedCard => 0x32,
            Self::VerificationFailed => 0x33,
            Self::WrongCard => 0x40,
            Self::ReadFailed => 0x41,
            Self::RandomFailed => 0x47,
            Self::SelfTestFailed => 0x60,
            Self::NotAuthorised => 0x66,
            Self::NoCard => 0x80,
            Self::SelectFailed => 0x81,
            Self::Other(byte) => byte,
        }
    }

    /// Whether the status reports success (`90`, `9F`).
    pub fn is_success(self) -> bool {
        matches!(self, Self::Success | Self::CardFound)
    }

    /// Stable code of a failure status (success statuses have codes too, for completeness).
    pub fn code(self) -> &'static str {
        match self {
            Self::Success | Self::CardFound => "ID_READER_OK",
            Self::NoContent => "ID_READER_NO_CONTENT",
            Self::HostChecksum | Self::HostLength => "ID_READER_TRANSMISSION",
            Self::CommandRefused => "ID_READER_COMMAND_REFUSED",
            Self::NotPermitted => "ID_READER_NOT_PERMITTED",
            Self::Unidentified | Self::Other(_) => "ID_READER_FAILED",
            Self::CardRejectedReader | Self::ReaderRejectedCard | Self::VerificationFailed => {
                "ID_READER_CARD_NOT_AUTHENTIC"
            }
            Self::WrongCard => "ID_READER_WRONG_CARD",
            Self::ReadFailed | Self::SelectFailed | Self::RandomFailed => "ID_READER_CARD_REMOVED",
            Self::SelfTestFailed => "ID_READER_SELF_TEST",
            Self::NotAuthorised => "ID_READER_NOT_AUTHORISED",
            Self::NoCard => "ID_READER_NO_CARD",
        }
    }

    /// What happened and what to do, in Chinese.
    pub fn zh(self) -> String {
        match self {
            Self::Success | Self::CardFound => "读卡器工作正常。".to_owned(),
            Self::NoContent => "证件中没有这一项信息。".to_owned(),
            Self::HostChecksum | Self::HostLength => {
                "读卡器收到的数据有误（可能是数据线接触不良）。请重试；多次出现请检查读卡器连接线。"
                    .to_owned()
            }
            Self::CommandRefused => {
                "读卡器拒绝了本次操作。请将证件拿开后重新放好再试；多次出现请联系工作人员。"
                    .to_owned()
            }
            Self::NotPermitted => "读卡器不允许此操作，请联系工作人员检查读卡器。".to_owned(),
            Self::Unidentified => "读卡器出现未知错误。请重新放置证件后再试；多次出现请联系工作人员。".to_owned(),
            Self::Other(byte) => format!(
                "读卡器返回未知状态（{byte:02X}）。请重新放置证件后再试；多次出现请联系工作人员。"
            ),
            Self::CardRejectedReader | Self::ReaderRejectedCard | Self::VerificationFailed => {
                "证件芯片未通过读卡器校验，无法读取。请确认使用的是本人有效证件，或改为手工填写并由工作人员核验。"
                    .to_owned()
            }
            Self::WrongCard => {
                "放在读卡器上的不是身份证件（可能是银行卡、公交卡）。请只放居民身份证、外国人永久居留身份证或港澳台居民居住证。"
                    .to_owned()
            }
            Self::ReadFailed | Self::SelectFailed | Self::RandomFailed => {
                "读取过程中证件被移开或未放稳。请将证件平放在读卡器上，读完前不要移动，再试一次。"
                    .to_owned()
            }
            Self::SelfTestFailed => {
                "读卡器自检失败，暂时无法使用。请工作人员重新插拔读卡器；仍然失败请改为手工填写。"
                    .to_owned()
            }
            Self::NotAuthorised => {
                "读卡器未经授权，无法使用。请工作人员联系读卡器厂商；现在请改为手工填写。"
                    .to_owned()
            }
            Self::NoCard => "读卡器上没有证件。请将证件平放在读卡器上。".to_owned(),
        }
    }

    /// What happened and what to do, in English.
    pub fn en(self) -> String {
        match self {
            Self::Success | Self::CardFound => "The card reader works.".to_owned(),
            Self::NoContent => "The card holds nothing for this item.".to_owned(),
            Self::HostChecksum | Self::HostLength => {
                "The card reader received garbled data (perhaps a loose cable). Try again; if it keeps happening, check the reader's cable."
                    .to_owned()
            }
            Self::CommandRefused => {
                "The card reader refused the request. Lift the card, place it again and retry; if it keeps happening, ask staff."
                    .to_owned()
            }
            Self::NotPermitted => {
                "The card reader does not allow this operation. Ask staff to check the reader."
                    .to_owned()
            }
            Self::Unidentified => {
                "The card reader reported an unknown error. Place the card again and retry; if it keeps happening, ask staff."
                    .to_owned()
            }
            Self::Other(byte) => format!(
                "The card reader answered with an unknown status ({byte:02X}). Place the card again and retry; if it keeps happening, ask staff."
            ),
            Self::CardRejectedReader | Self::ReaderRejectedCard | Self::VerificationFailed => {
                "The card's chip failed the reader's check and cannot be read. Make sure it is your own valid card, or type the details and have staff check the card."
                    .to_owned()
            }
            Self::WrongCard => {
                "The card on the reader is not an identity card (perhaps a bank or transit card). Place only a resident ID card, a foreigner's permanent residence card or a residence permit."
                    .to_owned()
            }
            Self::ReadFailed | Self::SelectFailed | Self::RandomFailed => {
                "The card was moved or lifted during the read. Lay it flat on the reader, keep it still until the read is done, and try again."
                    .to_owned()
            }
            Self::SelfTestFailed => {
                "The card reader failed its self-test and cannot be used now. Ask staff to unplug and replug it; otherwise type the details by hand."
                    .to_owned()
            }
            Self::NotAuthorised => {
                "The card reader is not authorised and cannot be used. Staff must contact its vendor; for now type the details by hand."
                    .to_owned()
            }
            Self::NoCard => "There is no card on the reader. Lay the card flat on it.".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_status_round_trips_through_its_byte() {
        for status in ReaderStatus::NAMED {
            assert_eq!(ReaderStatus::from_sw3(status.sw3()), status);
        }
        assert_eq!(ReaderStatus::from_sw3(0x55), ReaderStatus::Other(0x55));
        assert_eq!(ReaderStatus::Other(0x55).sw3(), 0x55);
    }

    #[test]
    fn every_failure_has_an_upper_snake_code_and_both_messages() {
        for status in ReaderStatus::NAMED
            .into_iter()
            .chain([ReaderStatus::Other(0x07)])
        {
            let code = status.code();
            assert!(code.starts_with("ID_READER_"), "{code}");
            assert!(code.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
            assert!(!status.zh().is_ascii(), "{status:?}");
            assert!(status.en().is_ascii() && !status.en().is_empty());
        }
        assert!(ReaderStatus::CardFound.is_success());
        assert!(!ReaderStatus::NoCard.is_success());
    }
}
