//! The table of diagnostic codes. Codes are stable: a code is never reused for another meaning.
//! Every code has an entry in `spec/diagnostics.md` and a case in `tests/corpus` (checked by the
//! tidy test).

use super::Severity;

macro_rules! codes {
    ($($name:ident = $sev:ident, $en:literal, $vi:literal;)*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $en]
                $name,
            )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The code as written: `E0301`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name),)* }
            }
            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev,)* }
            }
            /// A short English title.
            pub fn title(self) -> &'static str {
                match self { $(Code::$name => $en,)* }
            }
            /// A short Vietnamese title, for staff reading diagnostics in Vietnamese.
            pub fn title_vi(self) -> &'static str {
                match self { $(Code::$name => $vi,)* }
            }
        }
    };
}

codes! {
    E0101 = Error, "unexpected token", "ký hiệu không mong đợi";
    E0102 = Error, "unterminated string", "chuỗi chưa đóng dấu nháy";
    E0103 = Error, "invalid character", "ký tự không hợp lệ";
    E0104 = Error, "nesting too deep", "lồng nhau quá sâu";
    E0105 = Error, "invalid or too large number", "số không hợp lệ hoặc quá lớn";
    E0201 = Error, "unresolved name", "tên chưa được khai báo";
    E0202 = Error, "unknown agency", "cơ quan chưa được khai báo";
    E0203 = Error, "duplicate indicator id", "trùng mã chỉ số";
    E0204 = Error, "duplicate name", "trùng tên";
    E0205 = Error, "unknown indicator or pillar", "chỉ số hoặc trụ cột không tồn tại";
    E0206 = Error, "recursive function", "hàm đệ quy";
    E0207 = Error, "wrong number of arguments", "sai số lượng đối số";
    W0208 = Warning, "unused input", "đầu vào không được sử dụng";
    W0209 = Warning, "indicator without owner", "chỉ số chưa có cơ quan phụ trách";
    W0210 = Warning, "source id collides with another indicator", "mã trong văn bản gốc trùng với chỉ số khác";
    E0211 = Error, "unknown choice", "lựa chọn không tồn tại";
    E0212 = Error, "cohort function outside an indicator", "hàm so sánh giữa các đơn vị dùng ngoài chỉ số";
    E0213 = Error, "cohort function of a cohort function", "hàm so sánh giữa các đơn vị lồng nhau";
    E0301 = Error, "incompatible units in + or -", "cộng/trừ hai đại lượng khác đơn vị";
    E0302 = Error, "score is not in points", "điểm không tính bằng điểm";
    E0303 = Error, "condition is not yes/no", "điều kiện không phải có/không";
    E0304 = Error, "comparison of incompatible units", "so sánh hai đại lượng khác đơn vị";
    E0305 = Error, "invalid units for * or /", "nhân/chia hai đại lượng không hợp lệ";
    E0306 = Error, "match on a value that is not a choice", "match trên giá trị không phải lựa chọn";
    E0307 = Error, "keyword used outside its context", "từ khóa dùng sai ngữ cảnh";
    E0308 = Error, "missing max or score", "thiếu điểm tối đa hoặc cách tính điểm";
    E0309 = Error, "default outside the input's domain", "giá trị mặc định nằm ngoài miền giá trị của đầu vào";
    E0310 = Error, "percent compared with a bare number above 1", "so sánh tỷ lệ phần trăm với số không có dấu %";
    E0311 = Error, "percent times 100 used as points", "tỷ lệ nhân 100 được dùng làm điểm";
    E0401 = Error, "pillar max differs from the sum of its indicators", "điểm tối đa của trụ cột khác tổng điểm các chỉ số";
    E0402 = Error, "sub-indicator sum differs from the parent's max", "tổng điểm chỉ số thành phần khác điểm tối đa";
    W0403 = Warning, "pillar maxes do not add up to the index scale", "tổng điểm các trụ cột khác thang điểm của bộ chỉ số";
    W0501 = Warning, "overlapping arms with different results", "các mức chồng lấn cho kết quả khác nhau";
    W0502 = Warning, "some values match no arm", "có giá trị không thuộc mức nào";
    W0503 = Warning, "unreachable arm", "mức không bao giờ được áp dụng";
    W0504 = Warning, "score can exceed max", "điểm có thể vượt điểm tối đa";
    W0505 = Warning, "score can be negative", "điểm có thể âm";
    W0506 = Warning, "score is not monotone in a more-is-better input", "điểm không tăng theo đầu vào càng lớn càng tốt";
    W0507 = Warning, "score jumps at a threshold", "điểm nhảy bậc tại ngưỡng";
    W0508 = Warning, "division by a value that can be zero", "phép chia cho giá trị có thể bằng 0";
    E0509 = Error, "non-exhaustive match", "match chưa xét hết các lựa chọn";
    W0510 = Warning, "policy checks skipped: rule too complex", "bỏ qua kiểm tra chính sách: quy tắc quá phức tạp";
    E0601 = Error, "impossible date", "ngày không hợp lệ";
    E0602 = Error, "deadline outside the plan period", "thời hạn nằm ngoài kỳ kế hoạch";
    E0603 = Error, "target on an unknown indicator", "mục tiêu gắn với chỉ số không tồn tại";
    E0604 = Error, "range with reversed bounds", "khoảng có cận dưới lớn hơn cận trên";
    W0605 = Warning, "task or target without owner", "nhiệm vụ hoặc mục tiêu chưa có cơ quan chủ trì";
    W0606 = Warning, "schedule without deadline", "chế độ báo cáo chưa có thời hạn";
    W0607 = Warning, "as-of date far outside the plan's period", "ngày đánh giá nằm xa ngoài kỳ kế hoạch";
    E0801 = Error, "malformed data file", "tệp dữ liệu sai định dạng";
    E0802 = Error, "value that cannot be used", "giá trị không dùng được";
    W0803 = Warning, "data for an unknown unit, indicator or input", "dữ liệu cho đơn vị, chỉ số hoặc đầu vào không tồn tại";
    E0804 = Error, "test failed", "kiểm thử không đạt";
    W0810 = Warning, "cells marked not reported", "ô dữ liệu ghi là không báo cáo";
    E0820 = Error, "data for a unit not in the roster", "dữ liệu của đơn vị không có trong danh sách";
    W0821 = Warning, "declared unit sent no data", "đơn vị trong danh sách không gửi dữ liệu";
    W0822 = Warning, "unit reports fewer than half of the inputs", "đơn vị báo cáo chưa đến một nửa số đầu vào";
    W0823 = Warning, "data contradicts an assumption", "dữ liệu trái với giả định của quy tắc";
    E0824 = Error, "a totals row read as a unit", "dòng tổng cộng bị đọc như một đơn vị";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
